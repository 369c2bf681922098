// Optimistic application of pending commands to a masterplan state, and the field keys a
// command touches.
//
// A UI shows `applyPending(serverState, pending)`: the server's canonical state with the
// commands it has not confirmed yet laid over it. A rejected command simply leaves the
// pending queue, so the next render is the rollback. The server stays the judge: these
// functions never validate (a command the kernel would reject still shows until the
// reject arrives, usually within milliseconds).
//
// Field keys follow kernel/model's field-level rebase keys (docs/concurrency.md):
// `program/<id>/title`, `program/<id>/years`, `program/<id>/budget/<year>/<source>`,
// `program/<id>/indicator/<id>/target/<year>`, `masterplan/vision`, … A conflict's
// `detail.touched` is one of these, so a UI can show the rejection next to the field.

import type { Command, CommandFields } from './commands.js';
import type { MasterplanState, Program } from './state.js';
import { applyTextToState } from './text-fields.js';
import { byId, updateIndicator, updateProgram } from './state-update.js';

/** The state after `command`, as the server would most likely fold it. Pure. */
export function applyCommand(state: MasterplanState, command: Command): MasterplanState {
  switch (command.type) {
    case 'SetVision':
      return { ...state, vision: command.text };
    case 'SetMasterplanIdentity':
      return { ...state, cityName: command.cityName, regionCode: command.regionCode };
    case 'SetMasterplanPeriod':
      return { ...state, startYear: command.startYear, endYear: command.endYear };
    case 'AddProgram': {
      // A taken id is refused by the server: the state stays as it is until the reject.
      if (state.programs.some((p) => p.programId === command.programId)) return state;
      const program: Program = {
        programId: command.programId,
        title: command.title,
        description: command.description ?? '',
        dimension: command.dimension,
        element: command.element,
        leadOpd: command.leadOpd,
        supportingOpds: [...(command.supportingOpds ?? [])].sort(),
        startYear: command.startYear,
        endYear: command.endYear,
        quickWin: command.quickWin ?? false,
        budget: [],
        indicators: [],
        outputs: command.outputs ?? [],
        outcomes: command.outcomes ?? [],
      };
      const programs = [...state.programs, program].sort(byId((p) => p.programId));
      return { ...state, programs };
    }
    case 'UpdateProgram': {
      const { type: _type, programId, ...changes } = command;
      return updateProgram(state, programId, (p) => ({ ...p, ...changes }));
    }
    case 'RemoveProgram':
      return updateProgram(state, command.programId, () => null);
    case 'SetProgramYears':
      return updateProgram(state, command.programId, (p) => ({
        ...p,
        startYear: command.startYear,
        endYear: command.endYear,
      }));
    case 'SetProgramLeadOpd':
      return updateProgram(state, command.programId, (p) => ({ ...p, leadOpd: command.leadOpd }));
    case 'AddSupportingOpd':
      return updateProgram(state, command.programId, (p) => ({
        ...p,
        supportingOpds: [...new Set([...p.supportingOpds, command.opdId])].sort(),
      }));
    case 'RemoveSupportingOpd':
      return updateProgram(state, command.programId, (p) => ({
        ...p,
        supportingOpds: p.supportingOpds.filter((o) => o !== command.opdId),
      }));
    case 'SetQuickWin':
      return updateProgram(state, command.programId, (p) => ({ ...p, quickWin: command.quickWin }));
    case 'SetProgramBudget':
      return updateProgram(state, command.programId, (p) => {
        const budget = p.budget.filter(
          (line) => !(line.year === command.year && line.source === command.source),
        );
        budget.push({ year: command.year, source: command.source, amount: command.amount });
        budget.sort((a, b) => a.year - b.year || (a.source < b.source ? -1 : 1));
        return { ...p, budget };
      });
    case 'RemoveProgramBudget':
      return updateProgram(state, command.programId, (p) => ({
        ...p,
        budget: p.budget.filter(
          (line) => !(line.year === command.year && line.source === command.source),
        ),
      }));
    case 'AddIndicator':
      return updateProgram(state, command.programId, (p) => {
        if (p.indicators.some((i) => i.indicatorId === command.indicatorId)) return p;
        const indicator = {
          indicatorId: command.indicatorId,
          name: command.name,
          unit: command.unit,
          baseline: command.baseline ?? null,
          targets: [],
        };
        return { ...p, indicators: [...p.indicators, indicator].sort(byId((i) => i.indicatorId)) };
      });
    case 'UpdateIndicator': {
      const { type: _type, programId, indicatorId, ...changes } = command;
      return updateProgram(state, programId, (p) =>
        updateIndicator(p, indicatorId, (i) => ({ ...i, ...changes, baseline: changes.baseline === undefined ? i.baseline : changes.baseline })),
      );
    }
    case 'RemoveIndicator':
      return updateProgram(state, command.programId, (p) =>
        updateIndicator(p, command.indicatorId, () => null),
      );
    case 'SetIndicatorTarget':
      return updateProgram(state, command.programId, (p) =>
        updateIndicator(p, command.indicatorId, (i) => ({
          ...i,
          targets: [
            ...i.targets.filter((t) => t.year !== command.year),
            { year: command.year, value: command.value },
          ].sort((a, b) => a.year - b.year),
        })),
      );
    case 'RemoveIndicatorTarget':
      return updateProgram(state, command.programId, (p) =>
        updateIndicator(p, command.indicatorId, (i) => ({
          ...i,
          targets: i.targets.filter((t) => t.year !== command.year),
        })),
      );
    case 'RegisterOpd':
      if (state.opds.some((o) => o.opdId === command.opdId)) return state;
      return {
        ...state,
        opds: [
          ...state.opds,
          { opdId: command.opdId, name: command.name, shortName: command.shortName ?? null, retired: false },
        ].sort(byId((o) => o.opdId)),
      };
    case 'AddMission':
      if (state.missions.some((m) => m.missionId === command.missionId)) return state;
      return {
        ...state,
        missions: [...state.missions, { missionId: command.missionId, text: command.text }],
      };
    case 'UpdateMission':
      return {
        ...state,
        missions: state.missions.map((m) =>
          m.missionId === command.missionId ? { ...m, text: command.text } : m,
        ),
      };
    case 'SubmitMasterplan':
      return { ...state, status: 'submitted' };
    case 'StartReview':
      return { ...state, status: 'under_review' };
    case 'ApproveMasterplan':
      return { ...state, status: 'approved' };
    case 'ReopenMasterplan':
      return { ...state, status: 'draft' };
    case 'EditText':
      return applyTextToState(state, command.field, command.ops);
    default:
      return state;
  }
}

/**
 * `state` with every command of `pending` applied in order, except those `state` already
 * holds: a command whose ack or own event came at a version ≤ `state.version`.
 */
export function applyPending(
  state: MasterplanState,
  pending: readonly { command: Command; ackVersion?: number; landedVersion?: number }[],
): MasterplanState {
  let result = state;
  for (const item of pending) {
    const landedAt = item.landedVersion ?? item.ackVersion;
    if (landedAt !== undefined && landedAt <= state.version) continue;
    result = applyCommand(result, item.command);
  }
  return result;
}

function fieldsOf<T extends keyof CommandFields>(
  prefix: string,
  fields: CommandFields[T],
  skip: readonly string[],
): string[] {
  return Object.keys(fields as object)
    .filter((name) => name !== 'type' && !skip.includes(name))
    .map((name) => `${prefix}/${name}`);
}

/** The field keys `command` changes (the kernel's rebase keys). */
export function commandFieldKeys(command: Command): string[] {
  switch (command.type) {
    case 'SetVision':
      return ['masterplan/vision'];
    case 'SetMasterplanIdentity':
      return ['masterplan/identity'];
    case 'SetMasterplanPeriod':
      return ['masterplan/period'];
    case 'SetRpjmdReference':
      return ['masterplan/rpjmd'];
    case 'AddMission':
    case 'RemoveMission':
      return [`mission/${command.missionId}`];
    case 'UpdateMission':
      return [`mission/${command.missionId}/text`];
    case 'AddProgram':
    case 'RemoveProgram':
      return [`program/${command.programId}`];
    case 'UpdateProgram':
      return fieldsOf<'UpdateProgram'>(`program/${command.programId}`, command, ['programId']);
    case 'SetProgramYears':
      return [`program/${command.programId}/years`];
    case 'SetProgramLeadOpd':
      return [`program/${command.programId}/leadOpd`];
    case 'AddSupportingOpd':
    case 'RemoveSupportingOpd':
      return [`program/${command.programId}/supportingOpds/${command.opdId}`];
    case 'SetQuickWin':
      return [`program/${command.programId}/quickWin`];
    case 'SetProgramBudget':
    case 'RemoveProgramBudget':
      return [`program/${command.programId}/budget/${command.year}/${command.source}`];
    case 'AddIndicator':
    case 'RemoveIndicator':
      return [`program/${command.programId}/indicator/${command.indicatorId}`];
    case 'UpdateIndicator':
      return fieldsOf<'UpdateIndicator'>(
        `program/${command.programId}/indicator/${command.indicatorId}`,
        command,
        ['programId', 'indicatorId'],
      );
    case 'SetIndicatorTarget':
    case 'RemoveIndicatorTarget':
      return [
        `program/${command.programId}/indicator/${command.indicatorId}/target/${command.year}`,
      ];
    case 'SubmitMasterplan':
    case 'StartReview':
    case 'ApproveMasterplan':
    case 'ReopenMasterplan':
      return ['masterplan/status'];
    case 'EditText':
      return [command.field];
    default:
      return [];
  }
}
