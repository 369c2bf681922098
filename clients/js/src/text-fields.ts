// Narrative fields of the masterplan state by their keys (docs/concurrency.md): the texts
// `EditText` changes, read and replaced in a client's copy of the state.

import type { TextOp } from './text.js';
import { applyText } from './text.js';
import type { MasterplanState } from './state.js';

const LIST_INDEX = /^(0|[1-9][0-9]?)$/;

/** The text of the narrative field `key`, or undefined when no such field exists. */
export function narrativeText(state: MasterplanState, key: string): string | undefined {
  const [kind, id, name, index] = key.split('/');
  if (key === 'masterplan/vision') return state.vision;
  if (kind === 'mission' && name === 'text' && index === undefined) {
    return state.missions.find((m) => m.missionId === id)?.text;
  }
  if (kind === 'strategicIssue' && name === 'text' && index === undefined) {
    return state.strategicIssues.find((i) => i.issueId === id)?.text;
  }
  if (kind === 'readiness' && name === 'description' && index === undefined) {
    const entry = state.readiness.find((r) => r.entryId === id);
    return entry ? (entry.description ?? '') : undefined;
  }
  if (kind !== 'program') return undefined;
  const program = state.programs.find((p) => p.programId === id);
  if (!program) return undefined;
  if (name === 'description' && index === undefined) return program.description;
  if ((name === 'outputs' || name === 'outcomes') && index !== undefined && LIST_INDEX.test(index)) {
    return program[name][Number(index)];
  }
  return undefined;
}

/** A copy of `state` with the narrative field `key` set to `text` (unchanged when absent). */
export function withNarrativeText(state: MasterplanState, key: string, text: string): MasterplanState {
  const [kind, id, name, index] = key.split('/');
  if (key === 'masterplan/vision') return { ...state, vision: text };
  if (kind === 'mission') {
    return { ...state, missions: state.missions.map((m) => (m.missionId === id ? { ...m, text } : m)) };
  }
  if (kind === 'strategicIssue') {
    return {
      ...state,
      strategicIssues: state.strategicIssues.map((i) => (i.issueId === id ? { ...i, text } : i)),
    };
  }
  if (kind === 'readiness') {
    return {
      ...state,
      // The canonical JSON writes an empty description as null.
      readiness: state.readiness.map((r) => (r.entryId === id ? { ...r, description: text === '' ? null : text } : r)),
    };
  }
  if (kind !== 'program') return state;
  return {
    ...state,
    programs: state.programs.map((p) => {
      if (p.programId !== id) return p;
      if (name === 'description') return { ...p, description: text };
      if ((name === 'outputs' || name === 'outcomes') && index !== undefined) {
        const list = [...p[name]];
        list[Number(index)] = text;
        return { ...p, [name]: list };
      }
      return p;
    }),
  };
}

/** `state` with a text operation applied to field `key`; unchanged when the field is absent
 * or the operation does not fit its text. */
export function applyTextToState(state: MasterplanState, key: string, op: TextOp): MasterplanState {
  const current = narrativeText(state, key);
  if (current === undefined) return state;
  try {
    return withNarrativeText(state, key, applyText(current, op));
  } catch {
    return state;
  }
}
