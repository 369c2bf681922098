// The masterplan's canonical JSON state, as `GET /api/masterplans/{id}` and the `snapshot`
// message send it (kernel/model canonical_json.hpp: maps as arrays sorted by id, absent
// optionals as null). Clients must ignore fields they do not know.

import type {
  Baseline,
  Id,
  IndicatorSnapshot,
  MasterplanStatus,
  Mou,
  Presentation,
  ProgramSnapshot,
  RpjmdReference,
} from './commands.js';

export type Program = ProgramSnapshot;
export type Indicator = IndicatorSnapshot;

export interface Opd {
  opdId: Id;
  name: string;
  shortName: string | null;
  retired: boolean;
}

export interface Member {
  userId: Id;
  name: string;
  role: string;
  opdId: Id | null;
  title: string | null;
}

export interface Comment {
  commentId: Id;
  target: string;
  text: string;
  author: string;
  replyTo: Id | null;
  resolved: boolean;
  withdrawn: boolean;
  version: number;
}

export interface ReadinessEntry {
  entryId: Id;
  axis: string;
  title: string;
  description: string | null;
  quantity: number | null;
  unit: string | null;
  /** The entry's SWOT quadrant, present only once classified. */
  swot?: string;
}

/** One Bimtek stage (1..4) as planned and held; absent optionals are null. */
export interface BimtekStageState {
  stage: number;
  scheduledDate: string | null;
  heldDate: string | null;
  place: string | null;
  onlineLink: string | null;
  experts: string[];
  /** Member user ids present, sorted. */
  members: Id[];
  /** OPD ids present, sorted. */
  opds: Id[];
  notes: string;
  closed: boolean;
}

export interface Gap {
  gapId: Id;
  axis: string;
  current: string;
  expected: string;
  action: string | null;
}

export interface Strategy {
  strategyId: Id;
  dimension: string;
  text: string;
}

export interface CommitmentLetter {
  letterId: Id;
  signatory: string;
  opdId: Id | null;
  signatoryName: string;
  date: string;
  letterNumber: string;
}

/** The Bimtek track: the four stages and what they add. */
export interface BimtekState {
  mou: Mou | null;
  stages: BimtekStageState[];
  gaps: Gap[];
  strategies: Strategy[];
  commitmentLetters: CommitmentLetter[];
  presentation: Presentation | null;
}

export interface MasterplanState {
  masterplan: string;
  version: number;
  exists: boolean;
  cityName: string;
  regionCode: string;
  startYear: number;
  endYear: number;
  rpjmd: RpjmdReference | null;
  status: MasterplanStatus;
  createdBy: string;
  vision: string;
  missions: { missionId: Id; text: string }[];
  strategicIssues: { issueId: Id; dimension: string; text: string }[];
  readiness: ReadinessEntry[];
  opds: Opd[];
  programs: Program[];
  members: Member[];
  comments: Comment[];
  plugins: { name: string; version: string; sha256: string }[];
  /** Present once anything of the Bimtek track is recorded (and gone when all of it is). */
  bimtek?: BimtekState;
}

/** `GET /api/masterplans/{id}[?at=V]`. */
export interface MasterplanResponse {
  masterplan: string;
  version: number;
  state: MasterplanState;
}

export type { Baseline };

/** An empty state (before `CreateMasterplan`). */
export function emptyState(masterplan: string): MasterplanState {
  return {
    masterplan,
    version: 0,
    exists: false,
    cityName: '',
    regionCode: '',
    startYear: 0,
    endYear: 0,
    rpjmd: null,
    status: 'draft',
    createdBy: '',
    vision: '',
    missions: [],
    strategicIssues: [],
    readiness: [],
    opds: [],
    programs: [],
    members: [],
    comments: [],
    plugins: [],
  };
}
