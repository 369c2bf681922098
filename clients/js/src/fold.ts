// The fold of stored events into a masterplan state on the client: what the kernel's
// apply.cpp does to its state, done to the JSON that `GET /api/masterplans/{id}` sends. A
// client that holds the state of version V and receives the events V+1, V+2, … brings it
// forward with `applyEvent` instead of fetching the whole state again for every change
// somebody makes. The two folds run the same cases (tests/data/fold-cases.json, written by
// tests/model/fold_cases_test.cpp, run by clients/js/test/fold.test.ts), so the state folded
// here is, key for key, the one the server would send.
//
// An event type this build does not know, or a schema version other than the current one
// (stored events are sent as written; only the kernel upcasts), is not folded: the caller
// fetches the state instead. That keeps a client older than its server correct.

import type { StoredEvent } from './protocol.js';
import type { Comment, MasterplanState, Opd, ReadinessEntry } from './state.js';
import { applyTextToState } from './text-fields.js';
import type { TextOp } from './text.js';
import { BIMTEK_EVENT_TYPES, foldBimtek } from './fold-bimtek.js';
import {
  baselineFromJson,
  bool,
  budgetOrder,
  indicatorFromJson,
  int,
  memberFromJson,
  num,
  obj,
  optStr,
  programFromJson,
  quickWinProfileFromJson,
  rpjmdFromJson,
  sortedSet,
  str,
  strings,
  withProgramBimtek,
  year,
  type Json,
} from './fold-read.js';
import { putSorted, updateIndicator, updateProgram } from './state-update.js';

type Fold = (state: MasterplanState, p: Json, event: StoredEvent) => MasterplanState;

const programId = (p: { programId: string }) => p.programId;
const indicatorId = (i: { indicatorId: string }) => i.indicatorId;
const opdId = (o: Opd) => o.opdId;
const entryId = (r: ReadinessEntry) => r.entryId;
const commentId = (c: Comment) => c.commentId;

function changesOf(p: Json): Json {
  return obj(p, 'changes') ?? {};
}

function changeOpd(state: MasterplanState, id: string, change: (opd: Opd) => Opd): MasterplanState {
  return { ...state, opds: state.opds.map((o) => (o.opdId === id ? change(o) : o)) };
}

function changeComment(state: MasterplanState, id: string, change: (c: Comment) => Comment): MasterplanState {
  return { ...state, comments: state.comments.map((c) => (c.commentId === id ? change(c) : c)) };
}

function readinessEntry(p: Json): ReadinessEntry {
  const entry: ReadinessEntry = {
    entryId: str(p, 'entryId'),
    axis: str(p, 'axis'),
    title: str(p, 'title'),
    description: optStr(str(p, 'description')),
    quantity: num(p, 'quantity') ?? null,
    unit: optStr(str(p, 'unit')),
  };
  const swot = str(p, 'swot');
  if (swot !== '') entry.swot = swot;
  return entry;
}

const folds = new Map<string, Fold>(
  Object.entries({
    MasterplanCreated: (s, p) => {
      let rpjmd = s.rpjmd;
      const decoded = 'rpjmd' in p ? rpjmdFromJson(p.rpjmd) : undefined;
      if (decoded !== undefined) rpjmd = decoded;
      return {
        ...s,
        exists: true,
        cityName: str(p, 'cityName'),
        regionCode: str(p, 'regionCode'),
        startYear: year(p, 'startYear'),
        endYear: year(p, 'endYear'),
        rpjmd,
        createdBy: str(p, 'createdBy'),
        status: 'draft',
      };
    },
    MasterplanIdentitySet: (s, p) => ({ ...s, cityName: str(p, 'cityName'), regionCode: str(p, 'regionCode') }),
    MasterplanPeriodSet: (s, p) => ({ ...s, startYear: year(p, 'startYear'), endYear: year(p, 'endYear') }),
    RpjmdReferenceSet: (s, p) => {
      if (!('rpjmd' in p)) return s;
      const rpjmd = rpjmdFromJson(p.rpjmd);
      return rpjmd === undefined ? s : { ...s, rpjmd };
    },
    VisionSet: (s, p) => ({ ...s, vision: str(p, 'text') }),
    MissionAdded: (s, p) => {
      const position = Math.min(Math.max(int(p, 'position') ?? s.missions.length, 0), s.missions.length);
      const missions = [...s.missions];
      missions.splice(position, 0, { missionId: str(p, 'missionId'), text: str(p, 'text') });
      return { ...s, missions };
    },
    MissionUpdated: (s, p) => ({
      ...s,
      missions: s.missions.map((m) => (m.missionId === str(p, 'missionId') ? { ...m, text: str(p, 'text') } : m)),
    }),
    MissionRemoved: (s, p) => ({ ...s, missions: s.missions.filter((m) => m.missionId !== str(p, 'missionId')) }),
    StrategicIssueAdded: (s, p) => ({
      ...s,
      strategicIssues: putSorted(s.strategicIssues, (i) => i.issueId, {
        issueId: str(p, 'issueId'),
        dimension: str(p, 'dimension'),
        text: str(p, 'text'),
      }),
    }),
    StrategicIssueUpdated: (s, p) => ({
      ...s,
      strategicIssues: s.strategicIssues.map((i) => (i.issueId === str(p, 'issueId') ? { ...i, text: str(p, 'text') } : i)),
    }),
    StrategicIssueRemoved: (s, p) => ({
      ...s,
      strategicIssues: s.strategicIssues.filter((i) => i.issueId !== str(p, 'issueId')),
    }),
    ReadinessEntryAdded: (s, p) => ({ ...s, readiness: putSorted(s.readiness, entryId, readinessEntry(p)) }),
    ReadinessEntryUpdated: (s, p) => {
      const c = changesOf(p);
      return {
        ...s,
        readiness: s.readiness.map((r) => {
          if (r.entryId !== str(p, 'entryId')) return r;
          const next = { ...r };
          if ('title' in c) next.title = str(c, 'title');
          if ('description' in c) next.description = optStr(str(c, 'description'));
          if ('quantity' in c) next.quantity = num(c, 'quantity') ?? null;
          if ('unit' in c) next.unit = optStr(str(c, 'unit'));
          if ('swot' in c) {
            delete next.swot;
            if (str(c, 'swot') !== '') next.swot = str(c, 'swot');
          }
          return next;
        }),
      };
    },
    ReadinessEntryRemoved: (s, p) => ({ ...s, readiness: s.readiness.filter((r) => r.entryId !== str(p, 'entryId')) }),
    OpdRegistered: (s, p) => ({
      ...s,
      opds: putSorted(s.opds, opdId, {
        opdId: str(p, 'opdId'),
        name: str(p, 'name'),
        shortName: optStr(str(p, 'shortName')),
        retired: false,
      }),
    }),
    OpdRenamed: (s, p) =>
      changeOpd(s, str(p, 'opdId'), (o) => ({ ...o, name: str(p, 'name'), shortName: optStr(str(p, 'shortName')) })),
    OpdRetired: (s, p) => changeOpd(s, str(p, 'opdId'), (o) => ({ ...o, retired: true })),
    OpdReinstated: (s, p) => changeOpd(s, str(p, 'opdId'), (o) => ({ ...o, retired: false })),
    ProgramAdded: (s, p) => {
      const program = programFromJson(p);
      return program === undefined ? s : { ...s, programs: putSorted(s.programs, programId, program) };
    },
    ProgramUpdated: (s, p) => {
      const c = changesOf(p);
      return updateProgram(s, str(p, 'programId'), (program) => {
        const next = { ...program };
        if ('title' in c) next.title = str(c, 'title');
        if ('description' in c) next.description = str(c, 'description');
        if ('dimension' in c) next.dimension = str(c, 'dimension');
        if ('element' in c) next.element = str(c, 'element');
        if ('outputs' in c) next.outputs = strings(c, 'outputs');
        if ('outcomes' in c) next.outcomes = strings(c, 'outcomes');
        return next;
      });
    },
    ProgramRemoved: (s, p) => updateProgram(s, str(p, 'programId'), () => null),
    ProgramRestored: (s, p) => {
      const program = 'program' in p ? programFromJson(p.program) : undefined;
      return program === undefined ? s : { ...s, programs: putSorted(s.programs, programId, program) };
    },
    ProgramYearsSet: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) => ({
        ...program,
        startYear: year(p, 'startYear'),
        endYear: year(p, 'endYear'),
      })),
    ProgramLeadOpdSet: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) => ({ ...program, leadOpd: optStr(str(p, 'leadOpd')) })),
    SupportingOpdAdded: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) => ({
        ...program,
        supportingOpds: sortedSet([...program.supportingOpds, str(p, 'opdId')]),
      })),
    SupportingOpdRemoved: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) => ({
        ...program,
        supportingOpds: program.supportingOpds.filter((o) => o !== str(p, 'opdId')),
      })),
    ProgramQuickWinSet: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) => ({ ...program, quickWin: bool(p, 'quickWin', false) })),
    ProgramBudgetSet: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) => {
        const line = { year: year(p, 'year'), source: str(p, 'source'), amount: int(p, 'amount') ?? 0 };
        const budget = program.budget.filter((l) => !(l.year === line.year && l.source === line.source));
        return { ...program, budget: [...budget, line].sort(budgetOrder) };
      }),
    ProgramBudgetRemoved: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) => ({
        ...program,
        budget: program.budget.filter((l) => !(l.year === year(p, 'year') && l.source === str(p, 'source'))),
      })),
    IndicatorAdded: (s, p) => {
      const indicator = indicatorFromJson(p);
      if (indicator === undefined) return s;
      return updateProgram(s, str(p, 'programId'), (program) => ({
        ...program,
        indicators: putSorted(program.indicators, indicatorId, indicator),
      }));
    },
    IndicatorRestored: (s, p) => {
      const indicator = 'indicator' in p ? indicatorFromJson(p.indicator) : undefined;
      if (indicator === undefined) return s;
      return updateProgram(s, str(p, 'programId'), (program) => ({
        ...program,
        indicators: putSorted(program.indicators, indicatorId, indicator),
      }));
    },
    IndicatorUpdated: (s, p) => {
      const c = changesOf(p);
      return updateProgram(s, str(p, 'programId'), (program) =>
        updateIndicator(program, str(p, 'indicatorId'), (indicator) => {
          const next = { ...indicator };
          if ('name' in c) next.name = str(c, 'name');
          if ('unit' in c) next.unit = str(c, 'unit');
          if ('baseline' in c) {
            const baseline = baselineFromJson(c.baseline);
            if (baseline !== undefined) next.baseline = baseline;
          }
          return next;
        }),
      );
    },
    IndicatorRemoved: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) => updateIndicator(program, str(p, 'indicatorId'), () => null)),
    IndicatorTargetSet: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) =>
        updateIndicator(program, str(p, 'indicatorId'), (indicator) => {
          const target = { year: year(p, 'year'), value: num(p, 'value') ?? 0 };
          const targets = indicator.targets.filter((t) => t.year !== target.year);
          return { ...indicator, targets: [...targets, target].sort((a, b) => a.year - b.year) };
        }),
      ),
    IndicatorTargetRemoved: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) =>
        updateIndicator(program, str(p, 'indicatorId'), (indicator) => ({
          ...indicator,
          targets: indicator.targets.filter((t) => t.year !== year(p, 'year')),
        })),
      ),
    ProgramMissionsSet: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) =>
        withProgramBimtek(program, strings(p, 'missionIds'), program.rpjmdProgram ?? '', program.renstra ?? '', program.quickWinProfile ?? undefined),
      ),
    ProgramPlanReferenceSet: (s, p) =>
      updateProgram(s, str(p, 'programId'), (program) =>
        withProgramBimtek(program, program.missions ?? [], str(p, 'rpjmdProgram'), str(p, 'renstra'), program.quickWinProfile ?? undefined),
      ),
    QuickWinProfileSet: (s, p) => {
      if (!('profile' in p)) return s;
      return updateProgram(s, str(p, 'programId'), (program) =>
        withProgramBimtek(program, program.missions ?? [], program.rpjmdProgram ?? '', program.renstra ?? '', quickWinProfileFromJson(p.profile)),
      );
    },
    MemberAdded: (s, p) => {
      const member = memberFromJson(p);
      return member === undefined ? s : { ...s, members: putSorted(s.members, (m) => m.userId, member) };
    },
    MemberRoleChanged: (s, p) => ({
      ...s,
      members: s.members.map((m) =>
        m.userId === str(p, 'userId') ? { ...m, role: str(p, 'role'), opdId: optStr(str(p, 'opdId')) } : m,
      ),
    }),
    MemberRemoved: (s, p) => ({ ...s, members: s.members.filter((m) => m.userId !== str(p, 'userId')) }),
    CommentAdded: (s, p, e) => ({
      ...s,
      comments: putSorted(s.comments, commentId, {
        commentId: str(p, 'commentId'),
        target: str(p, 'target'),
        text: str(p, 'text'),
        author: str(p, 'author'),
        replyTo: optStr(str(p, 'replyTo')),
        resolved: false,
        withdrawn: false,
        version: e.version,
      }),
    }),
    CommentResolved: (s, p) => changeComment(s, str(p, 'commentId'), (c) => ({ ...c, resolved: true })),
    CommentReopened: (s, p) => changeComment(s, str(p, 'commentId'), (c) => ({ ...c, resolved: false })),
    CommentWithdrawn: (s, p) => changeComment(s, str(p, 'commentId'), (c) => ({ ...c, withdrawn: true })),
    MasterplanSubmitted: (s) => ({ ...s, status: 'submitted' }),
    ReviewStarted: (s) => ({ ...s, status: 'under_review' }),
    MasterplanApproved: (s) => ({ ...s, status: 'approved' }),
    MasterplanReopened: (s) => ({ ...s, status: 'draft' }),
    PluginEnabled: (s, p) => ({
      ...s,
      plugins: putSorted(s.plugins, (u) => u.name, {
        name: str(p, 'name'),
        version: str(p, 'version'),
        sha256: str(p, 'sha256'),
      }),
    }),
    PluginDisabled: (s, p) => ({ ...s, plugins: s.plugins.filter((u) => u.name !== str(p, 'name')) }),
    TextEdited: (s, p) => applyTextToState(s, str(p, 'field'), p.ops as TextOp),
    // Only the bookkeeping (which commands are undone) changes; the undo's own events follow.
    CommandUndone: (s) => s,
  } satisfies Record<string, Fold>),
);

// The schema version each type is folded at: the kernel's current one (upcaster.cpp).
const SCHEMA_VERSIONS = new Map<string, number>([
  ['IndicatorAdded', 2],
  ['ReadinessEntryAdded', 2],
  ['ReadinessEntryRemoved', 2],
]);

/** The event types `applyEvent` folds (at their current schema version). */
export const FOLDED_EVENT_TYPES: readonly string[] = [...folds.keys(), ...BIMTEK_EVENT_TYPES].sort();

/**
 * The state after the stored `event`, exactly as the kernel's fold would make it (and
 * `GET /api/masterplans/{id}` send it), with `version` set to the event's; `state` is not
 * changed. null when the event is not folded here: a type not in FOLDED_EVENT_TYPES or
 * another schema version; the caller must then fetch the state. The caller also makes sure
 * that `event` is the one after `state` (event.version = state.version + 1).
 */
export function applyEvent(state: MasterplanState, event: StoredEvent): MasterplanState | null {
  if (event.schemaVersion !== (SCHEMA_VERSIONS.get(event.type) ?? 1)) return null;
  const payload: Json = event.payload ?? {};
  const fold = folds.get(event.type);
  const next = fold !== undefined ? fold(state, payload, event) : foldBimtek(state, event.type, payload);
  return next === undefined ? null : { ...next, version: event.version };
}
