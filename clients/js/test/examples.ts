// One minimal and one full example of every command, event payload and protocol message,
// typed with the library's interfaces. The types make the examples exact:
// `Minimal<T>` allows exactly T's required fields, `Full<T>` demands every field. So
// `tsc --noEmit` fails when an example and its type disagree, and schemas.test.ts fails
// when an example and its JSON Schema disagree: together, the types cannot drift from
// schemas/.

import type { CommandFields, CommandType, EventPayloads, EventType } from '../src/commands.js';
import type {
  AckMessage,
  ErrorMessage,
  EventsMessage,
  HelloMessage,
  PingMessage,
  PongMessage,
  PresenceBroadcastMessage,
  PresenceMessage,
  RejectMessage,
  SnapshotMessage,
  StoredEvent,
  SubmitMessage,
  SubscribeMessage,
  UnsubscribeMessage,
  UnsubscribedMessage,
  WelcomeMessage,
} from '../src/protocol.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
export type Minimal<T> = Pick<T, RequiredKeys<T>>;
export type Full<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

export interface Example<T> {
  minimal: Minimal<T>;
  full: Full<T>;
}

const p = 'p-sipadu';
const i = 'i-layanan';

export const commandExamples: { [T in CommandType]: Example<CommandFields[T]> } = {
  CreateMasterplan: {
    minimal: { cityName: 'Kota Padang', regionCode: '13.71', startYear: 2019, endYear: 2028 },
    full: {
      cityName: 'Kota Padang',
      regionCode: '13.71',
      startYear: 2019,
      endYear: 2028,
      rpjmd: { title: 'RPJMD Kota Padang 2019–2024', startYear: 2019, endYear: 2024, regulation: 'Perda 6/2019' },
    },
  },
  SetMasterplanIdentity: {
    minimal: { cityName: 'Kota Padang', regionCode: '13.71' },
    full: { cityName: 'Kota Padang', regionCode: '13.71' },
  },
  SetMasterplanPeriod: {
    minimal: { startYear: 2019, endYear: 2028 },
    full: { startYear: 2019, endYear: 2028 },
  },
  SetRpjmdReference: {
    minimal: { rpjmd: null },
    full: { rpjmd: { title: 'RPJMD', startYear: 2019, endYear: 2024 } },
  },
  SetVision: { minimal: { text: 'Padang kota pintar' }, full: { text: 'Padang kota pintar' } },
  AddMission: {
    minimal: { missionId: 'm-1', text: 'Layanan publik digital' },
    full: { missionId: 'm-1', text: 'Layanan publik digital', position: 0 },
  },
  UpdateMission: { minimal: { missionId: 'm-1', text: 'x' }, full: { missionId: 'm-1', text: 'x' } },
  RemoveMission: { minimal: { missionId: 'm-1' }, full: { missionId: 'm-1' } },
  AddStrategicIssue: {
    minimal: { issueId: 's-1', dimension: 'governance', text: 'Data antar OPD belum terintegrasi' },
    full: { issueId: 's-1', dimension: 'governance', text: 'Data antar OPD belum terintegrasi' },
  },
  UpdateStrategicIssue: { minimal: { issueId: 's-1', text: 'x' }, full: { issueId: 's-1', text: 'x' } },
  RemoveStrategicIssue: { minimal: { issueId: 's-1' }, full: { issueId: 's-1' } },
  AddReadinessEntry: {
    minimal: { entryId: 'r-1', axis: 'struktur', title: 'Staf TI' },
    full: {
      entryId: 'r-1',
      axis: 'struktur',
      title: 'Staf TI',
      description: 'Pegawai berlatar TI',
      quantity: 121,
      unit: 'orang',
      swot: 'strength',
    },
  },
  UpdateReadinessEntry: {
    minimal: { entryId: 'r-1' },
    full: { entryId: 'r-1', title: 'Staf TI', description: 'd', quantity: null, unit: 'orang', swot: null },
  },
  RemoveReadinessEntry: { minimal: { entryId: 'r-1' }, full: { entryId: 'r-1' } },
  RegisterOpd: {
    minimal: { opdId: 'diskominfo', name: 'Dinas Komunikasi dan Informatika' },
    full: { opdId: 'diskominfo', name: 'Dinas Komunikasi dan Informatika', shortName: 'Diskominfo' },
  },
  RenameOpd: {
    minimal: { opdId: 'diskominfo', name: 'Dinas Kominfo' },
    full: { opdId: 'diskominfo', name: 'Dinas Kominfo', shortName: 'Kominfo' },
  },
  RetireOpd: { minimal: { opdId: 'diskominfo' }, full: { opdId: 'diskominfo' } },
  ReinstateOpd: { minimal: { opdId: 'diskominfo' }, full: { opdId: 'diskominfo' } },
  AddProgram: {
    minimal: {
      programId: p,
      title: 'SIPADU',
      dimension: 'governance',
      element: 'public_service',
      leadOpd: 'diskominfo',
      startYear: 2019,
      endYear: 2020,
    },
    full: {
      programId: p,
      title: 'SIPADU',
      dimension: 'governance',
      element: 'public_service',
      leadOpd: 'diskominfo',
      startYear: 2019,
      endYear: 2020,
      description: 'Sistem pelayanan terpadu',
      quickWin: true,
      supportingOpds: ['bappeda'],
      outputs: ['aplikasi'],
      outcomes: ['layanan lebih cepat'],
    },
  },
  UpdateProgram: {
    minimal: { programId: p },
    full: {
      programId: p,
      title: 't',
      description: 'd',
      dimension: 'governance',
      element: 'public_service',
      outputs: [],
      outcomes: [],
    },
  },
  RemoveProgram: { minimal: { programId: p }, full: { programId: p } },
  SetProgramYears: {
    minimal: { programId: p, startYear: 2019, endYear: 2021 },
    full: { programId: p, startYear: 2019, endYear: 2021 },
  },
  SetProgramLeadOpd: {
    minimal: { programId: p, leadOpd: 'bappeda' },
    full: { programId: p, leadOpd: 'bappeda' },
  },
  AddSupportingOpd: { minimal: { programId: p, opdId: 'bappeda' }, full: { programId: p, opdId: 'bappeda' } },
  RemoveSupportingOpd: { minimal: { programId: p, opdId: 'bappeda' }, full: { programId: p, opdId: 'bappeda' } },
  SetQuickWin: { minimal: { programId: p, quickWin: true }, full: { programId: p, quickWin: false } },
  SetProgramBudget: {
    minimal: { programId: p, year: 2019, source: 'APBD', amount: 250_000_000 },
    full: { programId: p, year: 2019, source: 'APBN', amount: 0 },
  },
  RemoveProgramBudget: {
    minimal: { programId: p, year: 2019, source: 'APBD' },
    full: { programId: p, year: 2019, source: 'APBD' },
  },
  AddIndicator: {
    minimal: { programId: p, indicatorId: i, name: 'Layanan daring', unit: 'layanan' },
    full: {
      programId: p,
      indicatorId: i,
      name: 'Layanan daring',
      unit: 'layanan',
      baseline: { value: 12, year: 2018 },
    },
  },
  UpdateIndicator: {
    minimal: { programId: p, indicatorId: i },
    full: { programId: p, indicatorId: i, name: 'n', unit: 'u', baseline: null },
  },
  RemoveIndicator: { minimal: { programId: p, indicatorId: i }, full: { programId: p, indicatorId: i } },
  SetIndicatorTarget: {
    minimal: { programId: p, indicatorId: i, year: 2020, value: 40 },
    full: { programId: p, indicatorId: i, year: 2020, value: 40.5 },
  },
  RemoveIndicatorTarget: {
    minimal: { programId: p, indicatorId: i, year: 2020 },
    full: { programId: p, indicatorId: i, year: 2020 },
  },
  AddMember: {
    minimal: { userId: 'u-rina', name: 'Rina', role: 'tim_pelaksana' },
    full: { userId: 'u-budi', name: 'Budi', role: 'opd_editor', opdId: 'diskominfo', title: 'Kepala Seksi' },
  },
  ChangeMemberRole: {
    minimal: { userId: 'u-rina', role: 'dewan' },
    full: { userId: 'u-rina', role: 'opd_editor', opdId: 'bappeda' },
  },
  RemoveMember: { minimal: { userId: 'u-rina' }, full: { userId: 'u-rina' } },
  AddComment: {
    minimal: { commentId: 'k-1', target: `program/${p}`, text: 'Mohon tambah indikator' },
    full: { commentId: 'k-2', target: `program/${p}`, text: 'Setuju', replyTo: 'k-1' },
  },
  ResolveComment: { minimal: { commentId: 'k-1' }, full: { commentId: 'k-1' } },
  SubmitMasterplan: { minimal: {}, full: {} },
  StartReview: { minimal: {}, full: {} },
  ApproveMasterplan: { minimal: {}, full: {} },
  ReopenMasterplan: { minimal: { reason: 'revisi' }, full: { reason: 'revisi' } },
  EnablePlugin: { minimal: { plugin: 'padang' }, full: { plugin: 'padang' } },
  DisablePlugin: { minimal: { plugin: 'padang' }, full: { plugin: 'padang' } },
  EditText: {
    minimal: { field: 'masterplan/vision', ops: [12, 'kota ', { d: 4 }] },
    full: { field: 'program/p-1/description', ops: ['Layanan '], baseVersion: 41 },
  },
  Undo: { minimal: { commandId: 'c-1' }, full: { commandId: 'c-1' } },
  // The Bimtek track.
  RecordMou: {
    minimal: { date: '2018-05-08', signedBy: 'Pjs Wali Kota Alwis' },
    full: { date: '2018-05-08', signedBy: 'Pjs Wali Kota Alwis', notes: 'Bimtek, FOSS, integrasi data' },
  },
  ScheduleBimtekStage: {
    minimal: { stage: 1, scheduledDate: '2018-07-24' },
    full: { stage: 1, scheduledDate: '2018-07-24', place: 'Aula Bappeda', onlineLink: 'https://zoom.example/j/1' },
  },
  RecordBimtekStageHeld: same({ stage: 1, heldDate: '2018-07-24' }),
  SetBimtekExperts: same({ stage: 1, experts: ['Tenaga Ahli A'] }),
  RecordBimtekAttendance: same({ stage: 1, members: ['u-rina'], opds: ['diskominfo'] }),
  SetBimtekStageNotes: same({ stage: 1, notes: 'SWOT per OPD' }),
  CloseBimtekStage: same({ stage: 1 }),
  ReopenBimtekStage: same({ stage: 1, reason: 'revisi' }),
  AddGap: {
    minimal: { gapId: 'g-1', axis: 'struktur', current: 'a', expected: 'b' },
    full: { gapId: 'g-1', axis: 'struktur', current: 'a', expected: 'b', action: 'c' },
  },
  RemoveGap: same({ gapId: 'g-1' }),
  AddStrategy: same({ strategyId: 'st-1', dimension: 'governance', text: 't' }),
  UpdateStrategy: same({ strategyId: 'st-1', text: 't' }),
  RemoveStrategy: same({ strategyId: 'st-1' }),
  SetProgramMissions: same({ programId: p, missionIds: ['m-1'] }),
  SetProgramPlanReference: {
    minimal: { programId: p },
    full: { programId: p, rpjmdProgram: 'Program Pelayanan Publik', renstra: 'Renstra Diskominfo 2019–2024' },
  },
  SetQuickWinProfile: same({ programId: p, objective: 'o', location: 'l', beneficiaries: 'b', timeline: '2019' }),
  RecordCommitmentLetter: {
    minimal: { letterId: 'sk-1', signatory: 'head_of_region', signatoryName: 'Wali Kota', date: '2018-11-07', letterNumber: '1' },
    full: {
      letterId: 'sk-1',
      signatory: 'opd_head',
      opdId: 'diskominfo',
      signatoryName: 'Kepala Dinas',
      date: '2018-11-07',
      letterNumber: '1',
    },
  },
  WithdrawCommitmentLetter: same({ letterId: 'sk-1' }),
  RecordPresentation: {
    minimal: { date: '2018-12-04', evaluators: [], outcome: 'accepted' },
    full: { date: '2018-12-04', evaluators: ['A'], notes: 'n', outcome: 'accepted_with_revisions' },
  },
};

const programSnapshot = {
  programId: p,
  title: 'SIPADU',
  description: '',
  dimension: 'governance',
  element: 'public_service',
  leadOpd: 'diskominfo',
  supportingOpds: [],
  startYear: 2019,
  endYear: 2020,
  quickWin: false,
  budget: [{ year: 2019, source: 'APBD', amount: 1 }],
  indicators: [],
  outputs: [],
  outcomes: [],
};
const indicatorSnapshot = {
  indicatorId: i,
  name: 'n',
  unit: 'u',
  baseline: null,
  targets: [{ year: 2020, value: 1 }],
};

function same<T>(value: Full<T> & Minimal<T>): Example<T> {
  return { minimal: value, full: value };
}

export const eventExamples: { [T in EventType]: Example<EventPayloads[T]> } = {
  MasterplanCreated: same({
    cityName: 'Kota Padang',
    regionCode: '13.71',
    startYear: 2019,
    endYear: 2028,
    rpjmd: null,
    createdBy: 'u-rina',
  }),
  MasterplanIdentitySet: same({ cityName: 'a', regionCode: '1', previousCityName: 'b', previousRegionCode: '2' }),
  MasterplanPeriodSet: same({ startYear: 2019, endYear: 2028, previousStartYear: 2018, previousEndYear: 2027 }),
  RpjmdReferenceSet: same({ rpjmd: { title: 't', startYear: 2019, endYear: 2024, regulation: null }, previous: null }),
  VisionSet: same({ text: 'v', previousText: '' }),
  MissionAdded: same({ missionId: 'm-1', text: 't', position: 0 }),
  MissionUpdated: same({ missionId: 'm-1', text: 't', previousText: 's' }),
  MissionRemoved: same({ missionId: 'm-1', text: 't', position: 0 }),
  StrategicIssueAdded: same({ issueId: 's-1', dimension: 'governance', text: 't' }),
  StrategicIssueUpdated: same({ issueId: 's-1', text: 't', previousText: 's' }),
  StrategicIssueRemoved: same({ issueId: 's-1', dimension: 'governance', text: 't' }),
  ReadinessEntryAdded: same({
    entryId: 'r-1',
    axis: 'struktur',
    title: 't',
    description: null,
    quantity: 121,
    unit: 'orang',
    swot: 'strength',
  }),
  ReadinessEntryUpdated: same({ entryId: 'r-1', changes: { title: 'x' }, previous: { title: 'y' } }),
  ReadinessEntryRemoved: same({ entryId: 'r-1', axis: 'struktur', title: 't', description: 'd', quantity: null, unit: null, swot: null }),
  OpdRegistered: same({ opdId: 'diskominfo', name: 'Diskominfo', shortName: null }),
  OpdRenamed: same({ opdId: 'd', name: 'n', shortName: 's', previousName: 'm', previousShortName: null }),
  OpdRetired: same({ opdId: 'd' }),
  OpdReinstated: same({ opdId: 'd' }),
  ProgramAdded: same({
    programId: p,
    title: 'SIPADU',
    description: '',
    dimension: 'governance',
    element: 'public_service',
    leadOpd: 'diskominfo',
    supportingOpds: [],
    startYear: 2019,
    endYear: 2020,
    quickWin: true,
    outputs: [],
    outcomes: [],
  }),
  ProgramUpdated: same({ programId: p, changes: { title: 'a' }, previous: { title: 'b' } }),
  ProgramRemoved: same({ programId: p, program: programSnapshot }),
  ProgramRestored: same({ programId: p, program: programSnapshot }),
  ProgramYearsSet: same({ programId: p, startYear: 2019, endYear: 2020, previousStartYear: 2019, previousEndYear: 2019 }),
  ProgramLeadOpdSet: same({ programId: p, leadOpd: 'bappeda', previousLeadOpd: 'diskominfo' }),
  SupportingOpdAdded: same({ programId: p, opdId: 'bappeda' }),
  SupportingOpdRemoved: same({ programId: p, opdId: 'bappeda' }),
  ProgramQuickWinSet: same({ programId: p, quickWin: true, previousQuickWin: false }),
  ProgramBudgetSet: same({ programId: p, year: 2019, source: 'APBD', amount: 5, previousAmount: null }),
  ProgramBudgetRemoved: same({ programId: p, year: 2019, source: 'APBD', previousAmount: 5 }),
  IndicatorAdded: same({ programId: p, indicatorId: i, name: 'n', unit: 'u', baseline: { value: 1, year: null } }),
  IndicatorUpdated: same({ programId: p, indicatorId: i, changes: { name: 'a' }, previous: { name: 'b' } }),
  IndicatorRemoved: same({ programId: p, indicatorId: i, indicator: indicatorSnapshot }),
  IndicatorRestored: same({ programId: p, indicatorId: i, indicator: indicatorSnapshot }),
  IndicatorTargetSet: same({ programId: p, indicatorId: i, year: 2020, value: 3, previousValue: null }),
  IndicatorTargetRemoved: same({ programId: p, indicatorId: i, year: 2020, previousValue: 3 }),
  MemberAdded: same({ userId: 'u-rina', name: 'Rina', role: 'tim_pelaksana', opdId: null, title: null }),
  MemberRoleChanged: same({ userId: 'u-rina', role: 'dewan', opdId: null, previousRole: 'tim_pelaksana', previousOpdId: null }),
  MemberRemoved: same({ userId: 'u-rina', member: { userId: 'u-rina' } }),
  CommentAdded: same({ commentId: 'k-1', target: 'masterplan', text: 't', author: 'u-rina', replyTo: null }),
  CommentResolved: same({ commentId: 'k-1' }),
  CommentWithdrawn: same({ commentId: 'k-1' }),
  CommentReopened: same({ commentId: 'k-1' }),
  MasterplanSubmitted: same({ previousStatus: 'draft' }),
  ReviewStarted: same({ previousStatus: 'submitted' }),
  MasterplanApproved: same({ previousStatus: 'under_review' }),
  MasterplanReopened: same({ reason: 'r', previousStatus: 'approved' }),
  PluginEnabled: same({ name: 'padang', version: '1.0.0', sha256: 'ab' }),
  PluginDisabled: same({ name: 'padang', version: '1.0.0', sha256: 'ab' }),
  CommandUndone: same({ commandId: 'c-1' }),
  TextEdited: same({ field: 'masterplan/vision', ops: [12, 'kota ', { d: 4 }], deleted: ['Pada'], author: 'u-ani' }),

  // The Bimtek track.
  MouRecorded: same({ mou: { date: '2018-05-08', signedBy: 's', notes: '' }, previous: null }),
  BimtekStageScheduled: same({
    stage: 1,
    scheduledDate: '2018-07-24',
    place: 'Aula',
    onlineLink: null,
    previousScheduledDate: null,
    previousPlace: null,
    previousOnlineLink: null,
  }),
  BimtekStageHeld: same({ stage: 1, heldDate: '2018-07-24', previousHeldDate: null }),
  BimtekExpertsSet: same({ stage: 1, experts: ['A'], previousExperts: [] }),
  BimtekAttendanceRecorded: same({ stage: 1, members: ['u-rina'], opds: ['diskominfo'], previousMembers: [], previousOpds: [] }),
  BimtekStageNotesSet: same({ stage: 1, notes: 'n', previousNotes: '' }),
  BimtekStageClosed: same({ stage: 1 }),
  BimtekStageReopened: same({ stage: 1, reason: 'r' }),
  GapAdded: same({ gapId: 'g-1', axis: 'struktur', current: 'a', expected: 'b', action: null }),
  GapRemoved: same({ gapId: 'g-1', axis: 'struktur', current: 'a', expected: 'b', action: 'c' }),
  StrategyAdded: same({ strategyId: 'st-1', dimension: 'governance', text: 't' }),
  StrategyUpdated: same({ strategyId: 'st-1', text: 't', previousText: 's' }),
  StrategyRemoved: same({ strategyId: 'st-1', dimension: 'governance', text: 't' }),
  ProgramMissionsSet: same({ programId: p, missionIds: ['m-1'], previousMissionIds: [] }),
  ProgramPlanReferenceSet: same({
    programId: p,
    rpjmdProgram: 'r',
    renstra: null,
    previousRpjmdProgram: null,
    previousRenstra: null,
  }),
  QuickWinProfileSet: same({
    programId: p,
    profile: { objective: 'o', location: 'l', beneficiaries: 'b', timeline: 't' },
    previous: null,
  }),
  CommitmentLetterRecorded: same({
    letterId: 'sk-1',
    signatory: 'head_of_region',
    opdId: null,
    signatoryName: 'Wali Kota',
    date: '2018-11-07',
    letterNumber: '1',
  }),
  CommitmentLetterWithdrawn: same({
    letterId: 'sk-1',
    signatory: 'opd_head',
    opdId: 'diskominfo',
    signatoryName: 'Kepala Dinas',
    date: '2018-11-07',
    letterNumber: '2',
  }),
  PresentationRecorded: same({
    presentation: { date: '2018-12-04', evaluators: ['A'], notes: 'n', outcome: 'accepted' },
    previous: null,
  }),
};

const storedEvent: Full<StoredEvent> = {
  version: 1,
  position: 7,
  type: 'VisionSet',
  schemaVersion: 1,
  time: '2026-11-24T15:02:11.123456Z',
  actor: 'u-rina',
  commandId: 'c-1',
  payload: { text: 'v', previousText: '' },
};

/** Protocol messages by schema file name (schemas/protocol/<name>.json). */
export interface ProtocolMessages {
  hello: HelloMessage;
  subscribe: SubscribeMessage;
  unsubscribe: UnsubscribeMessage;
  submit: SubmitMessage;
  presence: PresenceMessage;
  ping: PingMessage;
  welcome: WelcomeMessage;
  event: StoredEvent;
  events: EventsMessage;
  snapshot: SnapshotMessage;
  ack: AckMessage;
  reject: RejectMessage;
  'presence-broadcast': PresenceBroadcastMessage;
  unsubscribed: UnsubscribedMessage;
  pong: PongMessage;
  error: ErrorMessage;
}

export const protocolExamples: { [K in keyof ProtocolMessages]: Example<ProtocolMessages[K]> } = {
  hello: { minimal: { type: 'hello', token: 'eyJ…' }, full: { type: 'hello', id: 1, token: 'eyJ…' } },
  subscribe: {
    minimal: { type: 'subscribe', masterplan: 'padang-2019' },
    full: { type: 'subscribe', id: 'r1', masterplan: 'padang-2019', fromVersion: 0 },
  },
  unsubscribe: {
    minimal: { type: 'unsubscribe', masterplan: 'padang-2019' },
    full: { type: 'unsubscribe', id: 'r2', masterplan: 'padang-2019' },
  },
  submit: {
    minimal: {
      type: 'submit',
      commandId: 'c-1',
      masterplan: 'padang-2019',
      command: { type: 'SetVision', text: 'v' },
    },
    full: {
      type: 'submit',
      id: 3,
      commandId: 'c-1',
      masterplan: 'padang-2019',
      baseVersion: 41,
      command: { type: 'SetQuickWin', programId: p, quickWin: true },
    },
  },
  presence: {
    minimal: { type: 'presence', masterplan: 'padang-2019' },
    full: { type: 'presence', id: 'r4', masterplan: 'padang-2019', focus: { entity: `program/${p}`, field: 'title' } },
  },
  ping: { minimal: { type: 'ping' }, full: { type: 'ping', id: 5 } },
  welcome: {
    minimal: { type: 'welcome', session: 's-1', user: 'u-rina', roles: ['tim_pelaksana'], server: { version: '0.1.0' } },
    full: {
      type: 'welcome',
      id: 1,
      session: 's-1',
      user: 'u-budi',
      roles: ['opd_editor'],
      opd: 'diskominfo',
      masterplans: ['padang-2019'],
      server: { version: '0.1.0', maxFrameBytes: 262144, commandsPerSecond: 200, presenceTtlMs: 30000 },
    },
  },
  event: {
    minimal: { version: 1, position: 1, type: 'VisionSet', schemaVersion: 1, time: '2026-11-24T15:02:11Z', payload: {} },
    full: storedEvent,
  },
  events: {
    minimal: { type: 'events', masterplan: 'padang-2019', events: [], version: 0 },
    full: { type: 'events', id: 'r1', masterplan: 'padang-2019', events: [storedEvent], version: 1, catchUp: true },
  },
  snapshot: {
    minimal: { type: 'snapshot', masterplan: 'padang-2019', version: 1200, state: {} },
    full: { type: 'snapshot', id: 'r1', masterplan: 'padang-2019', version: 1200, state: { vision: 'v' } },
  },
  ack: {
    minimal: { type: 'ack', commandId: 'c-1', version: 42 },
    full: { type: 'ack', id: 3, commandId: 'c-1', masterplan: 'padang-2019', version: 42, duplicate: true },
  },
  reject: {
    minimal: { type: 'reject', commandId: 'c-1', code: 'conflict', message: 'm', violations: [] },
    full: {
      type: 'reject',
      id: 3,
      commandId: 'c-1',
      masterplan: 'padang-2019',
      code: 'conflict',
      message: 'm',
      violations: [
        {
          code: 'conflict',
          path: '/command',
          messageId: 'Isian program/p-sipadu/title telah diubah oleh u-rina',
          messageEn: 'Field program/p-sipadu/title was changed by u-rina',
          detail: {
            field: `program/${p}/title`,
            touched: `program/${p}/title`,
            currentValue: 'SIPADU 2',
            changedBy: 'u-rina',
            changedAtVersion: 12,
            baseVersion: 10,
          },
        },
      ],
    },
  },
  'presence-broadcast': {
    minimal: { type: 'presence', masterplan: 'padang-2019', user: 'u-rina', session: 's-2', state: 'left' },
    full: { type: 'presence', masterplan: 'padang-2019', user: 'u-rina', session: 's-2', focus: null, state: 'active' },
  },
  unsubscribed: {
    minimal: { type: 'unsubscribed', masterplan: 'padang-2019' },
    full: { type: 'unsubscribed', id: 'r2', masterplan: 'padang-2019' },
  },
  pong: { minimal: { type: 'pong' }, full: { type: 'pong', id: 5 } },
  error: {
    minimal: { type: 'error', code: 'bad_json', message: 'm' },
    full: { type: 'error', id: 'r9', code: 'invalid_field', message: 'm', ref: 'subscribe', path: '/fromVersion' },
  },
};
