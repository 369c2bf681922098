// applyEvent against the kernel's fold: the shared cases of tests/data/fold-cases.json
// (written and checked by tests/model/fold_cases_test.cpp) give the state before a command,
// the events it stored and the state after them, as the server sends it.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyEvent, emptyState, FOLDED_EVENT_TYPES, type MasterplanState, type StoredEvent } from '../src/index.js';

interface FoldCase {
  name: string;
  stateBefore: MasterplanState;
  events: StoredEvent[];
  stateAfter: MasterplanState;
}

const file = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../tests/data/fold-cases.json', import.meta.url)), 'utf8'),
) as { cases: FoldCase[] };

// What the editor's people change most; each must be folded, not fetched.
const EDITING = [
  'ProgramAdded', 'ProgramUpdated', 'ProgramRemoved', 'ProgramRestored', 'ProgramBudgetSet',
  'ProgramBudgetRemoved', 'ProgramYearsSet', 'ProgramLeadOpdSet', 'SupportingOpdAdded',
  'SupportingOpdRemoved', 'ProgramQuickWinSet', 'IndicatorAdded', 'IndicatorUpdated',
  'IndicatorRemoved', 'IndicatorRestored', 'IndicatorTargetSet', 'IndicatorTargetRemoved',
  'CommentAdded', 'CommentResolved', 'CommentReopened', 'CommentWithdrawn', 'MasterplanSubmitted',
  'ReviewStarted', 'MasterplanApproved', 'MasterplanReopened', 'VisionSet', 'MissionAdded',
  'MissionUpdated', 'MissionRemoved', 'OpdRegistered', 'MemberAdded', 'MemberRemoved',
  'MemberRoleChanged', 'QuickWinProfileSet', 'StrategyAdded',
  'StrategyUpdated', 'StrategyRemoved', 'TextEdited',
];

describe('applyEvent: the shared cases of the fold', () => {
  it('the file has cases, and a case for every event type the editor changes most', () => {
    expect(file.cases.length).toBeGreaterThan(50);
    const seen = new Set(file.cases.flatMap((c) => c.events.map((e) => e.type)));
    for (const type of EDITING) {
      expect(seen, type).toContain(type);
      expect(FOLDED_EVENT_TYPES, type).toContain(type);
    }
  });

  it.each(file.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let state: MasterplanState = c.stateBefore;
    for (const event of c.events) {
      const next = applyEvent(state, event);
      if (!FOLDED_EVENT_TYPES.includes(event.type)) {
        expect(next, event.type).toBeNull();
        return; // a client fetches the state here
      }
      expect(next, event.type).not.toBeNull();
      state = next!;
    }
    expect(state).toEqual(c.stateAfter);
  });

  it('folds every event type of schemas/events', () => {
    const dir = fileURLToPath(new URL('../../../schemas/events/', import.meta.url));
    const types = new Set(readdirSync(dir).map((name) => name.split('.')[0]));
    expect([...types].filter((type) => !FOLDED_EVENT_TYPES.includes(type))).toEqual([]);
  });

  it('leaves the state it folds unchanged', () => {
    const c = file.cases.find((x) => x.events.some((e) => e.type === 'ProgramBudgetSet'))!;
    const before = structuredClone(c.stateBefore);
    for (const event of c.events) applyEvent(c.stateBefore, event);
    expect(c.stateBefore).toEqual(before);
  });
});

describe('applyEvent: what it does not fold', () => {
  const event = (type: string, schemaVersion = 1): StoredEvent => ({
    version: 1,
    position: 1,
    type,
    schemaVersion,
    time: '2024-01-01T00:00:00.000000Z',
    payload: { programId: 'p', indicatorId: 'i', name: 'x', unit: '%', baseline: 3 },
  });

  it('returns null for an event type it does not know', () => {
    expect(applyEvent(emptyState('m'), event('SomethingNewHappened'))).toBeNull();
    expect(applyEvent(emptyState('m'), event('toString'))).toBeNull();
  });

  it('returns null for a schema version other than the current one', () => {
    expect(applyEvent(emptyState('m'), event('IndicatorAdded', 1))).toBeNull();
    expect(applyEvent(emptyState('m'), event('VisionSet', 2))).toBeNull();
  });
});
