// Commands and event payloads of docs/commands.md.
//
// `CommandFields` mirrors schemas/commands/<Type>.json and `EventPayloads` mirrors
// schemas/events/<Type>.v<N>.json (current versions). test/schemas.test.ts checks, for
// every type, that the set of types is the set of schema files, that the required and
// optional fields here are exactly the schema's, and that examples typed with these
// interfaces validate; `tsc --noEmit` (part of `npm test`) checks the examples against the
// types. Change a schema and a test fails until this file follows.

import type { TextOp } from './text.js';

/** Entity ids: `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$`, client-made, never reused. */
export type Id = string;

export type BudgetSource = 'APBD' | 'APBD_PROVINSI' | 'APBN' | 'KPBU' | 'CSR' | 'SWASTA';
export const BUDGET_SOURCES: readonly BudgetSource[] = [
  'APBD',
  'APBD_PROVINSI',
  'APBN',
  'KPBU',
  'CSR',
  'SWASTA',
];

export type ReadinessAxis = 'struktur' | 'infrastruktur' | 'suprastruktur';
export type MemberRole = 'dewan' | 'tim_pelaksana' | 'opd_editor' | 'reviewer' | 'kementerian' | 'viewer';
export type MasterplanStatus = 'draft' | 'submitted' | 'under_review' | 'approved';

export interface Baseline {
  value: number;
  year?: number | null;
}

export interface RpjmdReference {
  title: string;
  startYear: number;
  endYear: number;
  regulation?: string | null;
}

/** A command with no field besides `type`. */
export type NoFields = Record<never, never>;

/** The fields of each command, without `type`. */
export interface CommandFields {
  CreateMasterplan: {
    cityName: string;
    regionCode: string;
    startYear: number;
    endYear: number;
    rpjmd?: RpjmdReference | null;
  };
  SetMasterplanIdentity: { cityName: string; regionCode: string };
  SetMasterplanPeriod: { startYear: number; endYear: number };
  SetRpjmdReference: { rpjmd: RpjmdReference | null };
  SetVision: { text: string };
  AddMission: { missionId: Id; text: string; position?: number };
  UpdateMission: { missionId: Id; text: string };
  RemoveMission: { missionId: Id };
  AddStrategicIssue: { issueId: Id; dimension: string; text: string };
  UpdateStrategicIssue: { issueId: Id; text: string };
  RemoveStrategicIssue: { issueId: Id };

  AddReadinessEntry: {
    entryId: Id;
    axis: ReadinessAxis;
    title: string;
    description?: string;
    quantity?: number | null;
    unit?: string;
    swot?: SwotQuadrant | null;
  };
  UpdateReadinessEntry: {
    entryId: Id;
    title?: string;
    description?: string;
    quantity?: number | null;
    unit?: string;
    swot?: SwotQuadrant | null;
  };
  RemoveReadinessEntry: { entryId: Id };

  RegisterOpd: { opdId: Id; name: string; shortName?: string };
  RenameOpd: { opdId: Id; name: string; shortName?: string };
  RetireOpd: { opdId: Id };
  ReinstateOpd: { opdId: Id };

  AddProgram: {
    programId: Id;
    title: string;
    dimension: string;
    element: string;
    leadOpd: Id;
    startYear: number;
    endYear: number;
    description?: string;
    quickWin?: boolean;
    supportingOpds?: Id[];
    outputs?: string[];
    outcomes?: string[];
  };
  UpdateProgram: {
    programId: Id;
    title?: string;
    description?: string;
    dimension?: string;
    element?: string;
    outputs?: string[];
    outcomes?: string[];
  };
  RemoveProgram: { programId: Id };
  SetProgramYears: { programId: Id; startYear: number; endYear: number };
  SetProgramLeadOpd: { programId: Id; leadOpd: Id };
  AddSupportingOpd: { programId: Id; opdId: Id };
  RemoveSupportingOpd: { programId: Id; opdId: Id };
  SetQuickWin: { programId: Id; quickWin: boolean };
  SetProgramBudget: { programId: Id; year: number; source: BudgetSource | string; amount: number };
  RemoveProgramBudget: { programId: Id; year: number; source: BudgetSource | string };
  AddIndicator: {
    programId: Id;
    indicatorId: Id;
    name: string;
    unit: string;
    baseline?: Baseline | null;
  };
  UpdateIndicator: {
    programId: Id;
    indicatorId: Id;
    name?: string;
    unit?: string;
    baseline?: Baseline | null;
  };
  RemoveIndicator: { programId: Id; indicatorId: Id };
  SetIndicatorTarget: { programId: Id; indicatorId: Id; year: number; value: number };
  RemoveIndicatorTarget: { programId: Id; indicatorId: Id; year: number };

  AddMember: { userId: Id; name: string; role: MemberRole; opdId?: Id; title?: string };
  ChangeMemberRole: { userId: Id; role: MemberRole; opdId?: Id };
  RemoveMember: { userId: Id };

  AddComment: { commentId: Id; target: string; text: string; replyTo?: Id };
  ResolveComment: { commentId: Id };

  SubmitMasterplan: NoFields;
  StartReview: NoFields;
  ApproveMasterplan: NoFields;
  ReopenMasterplan: { reason: string };

  EnablePlugin: { plugin: string };
  DisablePlugin: { plugin: string };

  /** A text operation on a narrative field (docs/concurrency.md, "Text operations"). */
  EditText: { field: string; ops: TextOp; baseVersion?: number };

  Undo: { commandId: string };

  // The Bimtek track (docs/commands.md, "Bimtek").
  RecordMou: { date: string; signedBy: string; notes?: string };
  ScheduleBimtekStage: { stage: number; scheduledDate: string; place?: string; onlineLink?: string };
  RecordBimtekStageHeld: { stage: number; heldDate: string };
  SetBimtekExperts: { stage: number; experts: string[] };
  RecordBimtekAttendance: { stage: number; members: string[]; opds: string[] };
  SetBimtekStageNotes: { stage: number; notes: string };
  CloseBimtekStage: { stage: number };
  ReopenBimtekStage: { stage: number; reason: string };
  AddGap: { gapId: Id; axis: string; current: string; expected: string; action?: string };
  RemoveGap: { gapId: Id };
  AddStrategy: { strategyId: Id; dimension: string; text: string };
  UpdateStrategy: { strategyId: Id; text: string };
  RemoveStrategy: { strategyId: Id };
  SetProgramMissions: { programId: Id; missionIds: string[] };
  SetProgramPlanReference: { programId: Id; rpjmdProgram?: string; renstra?: string };
  SetQuickWinProfile: { programId: Id; objective: string; location: string; beneficiaries: string; timeline: string };
  RecordCommitmentLetter: { letterId: Id; signatory: string; opdId?: Id; signatoryName: string; date: string; letterNumber: string };
  WithdrawCommitmentLetter: { letterId: Id };
  RecordPresentation: { date: string; evaluators: string[]; notes?: string; outcome: string };
}

export type CommandType = keyof CommandFields;

/** One command object as sent in `submit.command`. */
export type CommandOf<T extends CommandType> = { type: T } & CommandFields[T];
export type Command = { [T in CommandType]: CommandOf<T> }[CommandType];

/** Builds a command object with its type checked against its fields. */
export function command<T extends CommandType>(type: T, fields: CommandFields[T]): CommandOf<T> {
  return { type, ...fields } as CommandOf<T>;
}

// ─────────────────────────────────── events ───────────────────────────────────

export interface ProgramSnapshot {
  programId: Id;
  title: string;
  description: string;
  dimension: string;
  element: string;
  leadOpd: Id | null;
  supportingOpds: Id[];
  startYear: number;
  endYear: number;
  quickWin: boolean;
  budget: { year: number; source: string; amount: number }[];
  indicators: IndicatorSnapshot[];
  outputs: string[];
  outcomes: string[];
  // Bimtek additions, present only when set.
  missions?: Id[];
  rpjmdProgram?: string;
  renstra?: string;
  quickWinProfile?: QuickWinProfile | null;
}

/** The MoU with the ministry (its year is the city's cohort). */
export interface Mou {
  date: string;
  signedBy: string;
  notes: string;
}

/** A finalised quick win's profile (its budget and lead OPD are the program's). */
export interface QuickWinProfile {
  objective: string;
  location: string;
  beneficiaries: string;
  timeline: string;
}

/** The presentation of the masterplan to the ministry's evaluators. */
export interface Presentation {
  date: string;
  evaluators: string[];
  notes: string;
  outcome: 'accepted' | 'accepted_with_revisions' | 'rejected';
}

/** Where a readiness entry stands in its axis's SWOT. */
export type SwotQuadrant = 'strength' | 'weakness' | 'opportunity' | 'threat';

export interface IndicatorSnapshot {
  indicatorId: Id;
  name: string;
  unit: string;
  baseline: Baseline | null;
  targets: { year: number; value: number }[];
}

/** Payloads of the current schema version of every event type. */
export interface EventPayloads {
  MasterplanCreated: {
    cityName: string;
    regionCode: string;
    startYear: number;
    endYear: number;
    rpjmd: RpjmdReference | null;
    createdBy: string;
  };
  MasterplanIdentitySet: {
    cityName: string;
    regionCode: string;
    previousCityName: string;
    previousRegionCode: string;
  };
  MasterplanPeriodSet: {
    startYear: number;
    endYear: number;
    previousStartYear: number;
    previousEndYear: number;
  };
  RpjmdReferenceSet: { rpjmd: RpjmdReference | null; previous: RpjmdReference | null };
  VisionSet: { text: string; previousText: string };
  MissionAdded: { missionId: Id; text: string; position: number };
  MissionUpdated: { missionId: Id; text: string; previousText: string };
  MissionRemoved: { missionId: Id; text: string; position: number };
  StrategicIssueAdded: { issueId: Id; dimension: string; text: string };
  StrategicIssueUpdated: { issueId: Id; text: string; previousText: string };
  StrategicIssueRemoved: { issueId: Id; dimension: string; text: string };

  ReadinessEntryAdded: {
    entryId: Id;
    axis: string;
    title: string;
    description: string | null;
    quantity: number | null;
    unit: string | null;
    swot: string | null;
  };
  ReadinessEntryUpdated: {
    entryId: Id;
    changes: Record<string, unknown>;
    previous: Record<string, unknown>;
  };
  ReadinessEntryRemoved: {
    entryId: Id;
    axis: string;
    title: string;
    description: string | null;
    quantity: number | null;
    unit: string | null;
    swot: string | null;
  };

  OpdRegistered: { opdId: Id; name: string; shortName: string | null };
  OpdRenamed: {
    opdId: Id;
    name: string;
    shortName: string | null;
    previousName: string;
    previousShortName: string | null;
  };
  OpdRetired: { opdId: Id };
  OpdReinstated: { opdId: Id };

  ProgramAdded: {
    programId: Id;
    title: string;
    description: string;
    dimension: string;
    element: string;
    leadOpd: Id | null;
    supportingOpds: Id[];
    startYear: number;
    endYear: number;
    quickWin: boolean;
    outputs: string[];
    outcomes: string[];
  };
  ProgramUpdated: {
    programId: Id;
    changes: Record<string, unknown>;
    previous: Record<string, unknown>;
  };
  ProgramRemoved: { programId: Id; program: ProgramSnapshot };
  ProgramRestored: { programId: Id; program: ProgramSnapshot };
  ProgramYearsSet: {
    programId: Id;
    startYear: number;
    endYear: number;
    previousStartYear: number;
    previousEndYear: number;
  };
  ProgramLeadOpdSet: { programId: Id; leadOpd: Id; previousLeadOpd: Id | null };
  SupportingOpdAdded: { programId: Id; opdId: Id };
  SupportingOpdRemoved: { programId: Id; opdId: Id };
  ProgramQuickWinSet: { programId: Id; quickWin: boolean; previousQuickWin: boolean };
  ProgramBudgetSet: {
    programId: Id;
    year: number;
    source: string;
    amount: number;
    previousAmount: number | null;
  };
  ProgramBudgetRemoved: { programId: Id; year: number; source: string; previousAmount: number };
  IndicatorAdded: {
    programId: Id;
    indicatorId: Id;
    name: string;
    unit: string;
    baseline: Baseline | null;
  };
  IndicatorUpdated: {
    programId: Id;
    indicatorId: Id;
    changes: Record<string, unknown>;
    previous: Record<string, unknown>;
  };
  IndicatorRemoved: { programId: Id; indicatorId: Id; indicator: IndicatorSnapshot };
  IndicatorRestored: { programId: Id; indicatorId: Id; indicator: IndicatorSnapshot };
  IndicatorTargetSet: {
    programId: Id;
    indicatorId: Id;
    year: number;
    value: number;
    previousValue: number | null;
  };
  IndicatorTargetRemoved: { programId: Id; indicatorId: Id; year: number; previousValue: number };

  MemberAdded: {
    userId: Id;
    name: string;
    role: string;
    opdId: Id | null;
    title: string | null;
  };
  MemberRoleChanged: {
    userId: Id;
    role: string;
    opdId: Id | null;
    previousRole: string;
    previousOpdId: Id | null;
  };
  MemberRemoved: { userId: Id; member: Record<string, unknown> };

  CommentAdded: { commentId: Id; target: string; text: string; author: string; replyTo: Id | null };
  CommentResolved: { commentId: Id };
  CommentWithdrawn: { commentId: Id };
  CommentReopened: { commentId: Id };

  MasterplanSubmitted: { previousStatus: MasterplanStatus };
  ReviewStarted: { previousStatus: MasterplanStatus };
  MasterplanApproved: { previousStatus: MasterplanStatus };
  MasterplanReopened: { reason: string; previousStatus: MasterplanStatus };

  PluginEnabled: { name: string; version: string; sha256: string };
  PluginDisabled: { name: string; version: string; sha256: string };

  CommandUndone: { commandId: string };
  /** The operation as committed (moved over those committed before it). */
  TextEdited: { field: string; ops: TextOp; deleted: string[]; author: string };

  // The Bimtek track.
  MouRecorded: { mou: Mou | null; previous: Mou | null };
  BimtekStageScheduled: { stage: number; scheduledDate: string | null; place: string | null; onlineLink: string | null; previousScheduledDate: string | null; previousPlace: string | null; previousOnlineLink: string | null };
  BimtekStageHeld: { stage: number; heldDate: string | null; previousHeldDate: string | null };
  BimtekExpertsSet: { stage: number; experts: string[]; previousExperts: string[] };
  BimtekAttendanceRecorded: { stage: number; members: string[]; opds: string[]; previousMembers: string[]; previousOpds: string[] };
  BimtekStageNotesSet: { stage: number; notes: string; previousNotes: string };
  BimtekStageClosed: { stage: number };
  BimtekStageReopened: { stage: number; reason: string };
  GapAdded: { gapId: string; axis: string; current: string; expected: string; action: string | null };
  GapRemoved: { gapId: string; axis: string; current: string; expected: string; action: string | null };
  StrategyAdded: { strategyId: string; dimension: string; text: string };
  StrategyUpdated: { strategyId: string; text: string; previousText: string };
  StrategyRemoved: { strategyId: string; dimension: string; text: string };
  ProgramMissionsSet: { programId: string; missionIds: string[]; previousMissionIds: string[] };
  ProgramPlanReferenceSet: { programId: string; rpjmdProgram: string | null; renstra: string | null; previousRpjmdProgram: string | null; previousRenstra: string | null };
  QuickWinProfileSet: { programId: string; profile: QuickWinProfile | null; previous: QuickWinProfile | null };
  CommitmentLetterRecorded: { letterId: string; signatory: string; opdId: string | null; signatoryName: string; date: string; letterNumber: string };
  CommitmentLetterWithdrawn: { letterId: string; signatory: string; opdId: string | null; signatoryName: string; date: string; letterNumber: string };
  PresentationRecorded: { presentation: Presentation | null; previous: Presentation | null };
}

export type EventType = keyof EventPayloads;

/** The schema version each event type is sent at today (docs/commands.md). */
export const EVENT_SCHEMA_VERSIONS: { readonly [T in EventType]: number } = {
  MasterplanCreated: 1,
  MasterplanIdentitySet: 1,
  MasterplanPeriodSet: 1,
  RpjmdReferenceSet: 1,
  VisionSet: 1,
  MissionAdded: 1,
  MissionUpdated: 1,
  MissionRemoved: 1,
  StrategicIssueAdded: 1,
  StrategicIssueUpdated: 1,
  StrategicIssueRemoved: 1,
  ReadinessEntryAdded: 2,
  ReadinessEntryUpdated: 1,
  ReadinessEntryRemoved: 2,
  OpdRegistered: 1,
  OpdRenamed: 1,
  OpdRetired: 1,
  OpdReinstated: 1,
  ProgramAdded: 1,
  ProgramUpdated: 1,
  ProgramRemoved: 1,
  ProgramRestored: 1,
  ProgramYearsSet: 1,
  ProgramLeadOpdSet: 1,
  SupportingOpdAdded: 1,
  SupportingOpdRemoved: 1,
  ProgramQuickWinSet: 1,
  ProgramBudgetSet: 1,
  ProgramBudgetRemoved: 1,
  IndicatorAdded: 2,
  IndicatorUpdated: 1,
  IndicatorRemoved: 1,
  IndicatorRestored: 1,
  IndicatorTargetSet: 1,
  IndicatorTargetRemoved: 1,
  MemberAdded: 1,
  MemberRoleChanged: 1,
  MemberRemoved: 1,
  CommentAdded: 1,
  CommentResolved: 1,
  CommentWithdrawn: 1,
  CommentReopened: 1,
  MasterplanSubmitted: 1,
  ReviewStarted: 1,
  MasterplanApproved: 1,
  MasterplanReopened: 1,
  PluginEnabled: 1,
  PluginDisabled: 1,
  CommandUndone: 1,
  TextEdited: 1,
  MouRecorded: 1,
  BimtekStageScheduled: 1,
  BimtekStageHeld: 1,
  BimtekExpertsSet: 1,
  BimtekAttendanceRecorded: 1,
  BimtekStageNotesSet: 1,
  BimtekStageClosed: 1,
  BimtekStageReopened: 1,
  GapAdded: 1,
  GapRemoved: 1,
  StrategyAdded: 1,
  StrategyUpdated: 1,
  StrategyRemoved: 1,
  ProgramMissionsSet: 1,
  ProgramPlanReferenceSet: 1,
  QuickWinProfileSet: 1,
  CommitmentLetterRecorded: 1,
  CommitmentLetterWithdrawn: 1,
  PresentationRecorded: 1,
};

/** Narrows a stored event to its typed payload when the type is known. */
export function isEvent<T extends EventType>(
  event: { type: string; payload: unknown },
  type: T,
): event is { type: T; payload: EventPayloads[T] } & typeof event {
  return event.type === type;
}
