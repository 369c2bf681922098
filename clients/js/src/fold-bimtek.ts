// The fold of the Bimtek track's events (fold.ts): the state's `bimtek` object, which the
// canonical JSON has only while something of the track is recorded (bimtek_json.cpp).

import type { Mou, Presentation } from './commands.js';
import { isObject, optStr, sortedSet, str, strings, int, type Json } from './fold-read.js';
import type { BimtekState, BimtekStageState, MasterplanState } from './state.js';
import { putSorted } from './state-update.js';

function emptyStage(stage: number): BimtekStageState {
  return {
    stage,
    scheduledDate: null,
    heldDate: null,
    place: null,
    onlineLink: null,
    experts: [],
    members: [],
    opds: [],
    notes: '',
    closed: false,
  };
}

function stageIsEmpty(s: BimtekStageState): boolean {
  return (
    s.scheduledDate === null &&
    s.heldDate === null &&
    s.place === null &&
    s.onlineLink === null &&
    s.experts.length === 0 &&
    s.members.length === 0 &&
    s.opds.length === 0 &&
    s.notes === '' &&
    !s.closed
  );
}

function trackOf(state: MasterplanState): BimtekState {
  return (
    state.bimtek ?? {
      mou: null,
      stages: [1, 2, 3, 4].map(emptyStage),
      gaps: [],
      strategies: [],
      commitmentLetters: [],
      presentation: null,
    }
  );
}

function withTrack(state: MasterplanState, track: BimtekState): MasterplanState {
  const { bimtek: _old, ...rest } = state;
  const any =
    track.mou !== null ||
    track.gaps.length > 0 ||
    track.strategies.length > 0 ||
    track.commitmentLetters.length > 0 ||
    track.presentation !== null ||
    track.stages.some((s) => !stageIsEmpty(s));
  return any ? { ...rest, bimtek: track } : rest;
}

function mouFromJson(v: unknown): Mou | null {
  return isObject(v) ? { date: str(v, 'date'), signedBy: str(v, 'signedBy'), notes: str(v, 'notes') } : null;
}

function presentationFromJson(v: unknown): Presentation | null {
  if (!isObject(v)) return null;
  return {
    date: str(v, 'date'),
    evaluators: strings(v, 'evaluators'),
    notes: str(v, 'notes'),
    outcome: str(v, 'outcome') as Presentation['outcome'],
  };
}

// A stage event changes stage `stage` (1..4); another number changes nothing.
function changeStage(
  track: BimtekState,
  p: Json,
  change: (stage: BimtekStageState) => BimtekStageState,
): BimtekState {
  const number = int(p, 'stage') ?? 0;
  if (number < 1 || number > 4) return track;
  return { ...track, stages: track.stages.map((s, i) => (i === number - 1 ? change(s) : s)) };
}

const gapId = (g: { gapId: string }) => g.gapId;
const strategyId = (s: { strategyId: string }) => s.strategyId;
const letterId = (l: { letterId: string }) => l.letterId;

type TrackFold = (track: BimtekState, p: Json) => BimtekState;

const folds = new Map<string, TrackFold>(Object.entries({
  MouRecorded: (t, p) => ('mou' in p ? { ...t, mou: mouFromJson(p.mou) } : t),
  BimtekStageScheduled: (t, p) =>
    changeStage(t, p, (s) => ({
      ...s,
      scheduledDate: optStr(str(p, 'scheduledDate')),
      place: optStr(str(p, 'place')),
      onlineLink: optStr(str(p, 'onlineLink')),
    })),
  BimtekStageHeld: (t, p) => changeStage(t, p, (s) => ({ ...s, heldDate: optStr(str(p, 'heldDate')) })),
  BimtekExpertsSet: (t, p) => changeStage(t, p, (s) => ({ ...s, experts: strings(p, 'experts') })),
  BimtekAttendanceRecorded: (t, p) =>
    changeStage(t, p, (s) => ({ ...s, members: sortedSet(strings(p, 'members')), opds: sortedSet(strings(p, 'opds')) })),
  BimtekStageNotesSet: (t, p) => changeStage(t, p, (s) => ({ ...s, notes: str(p, 'notes') })),
  BimtekStageClosed: (t, p) => changeStage(t, p, (s) => ({ ...s, closed: true })),
  BimtekStageReopened: (t, p) => changeStage(t, p, (s) => ({ ...s, closed: false })),
  GapAdded: (t, p) => ({
    ...t,
    gaps: putSorted(t.gaps, gapId, {
      gapId: str(p, 'gapId'),
      axis: str(p, 'axis'),
      current: str(p, 'current'),
      expected: str(p, 'expected'),
      action: optStr(str(p, 'action')),
    }),
  }),
  GapRemoved: (t, p) => ({ ...t, gaps: t.gaps.filter((g) => g.gapId !== str(p, 'gapId')) }),
  StrategyAdded: (t, p) => ({
    ...t,
    strategies: putSorted(t.strategies, strategyId, {
      strategyId: str(p, 'strategyId'),
      dimension: str(p, 'dimension'),
      text: str(p, 'text'),
    }),
  }),
  StrategyUpdated: (t, p) => ({
    ...t,
    strategies: t.strategies.map((s) => (s.strategyId === str(p, 'strategyId') ? { ...s, text: str(p, 'text') } : s)),
  }),
  StrategyRemoved: (t, p) => ({ ...t, strategies: t.strategies.filter((s) => s.strategyId !== str(p, 'strategyId')) }),
  CommitmentLetterRecorded: (t, p) => ({
    ...t,
    commitmentLetters: putSorted(t.commitmentLetters, letterId, {
      letterId: str(p, 'letterId'),
      signatory: str(p, 'signatory'),
      opdId: optStr(str(p, 'opdId')),
      signatoryName: str(p, 'signatoryName'),
      date: str(p, 'date'),
      letterNumber: str(p, 'letterNumber'),
    }),
  }),
  CommitmentLetterWithdrawn: (t, p) => ({
    ...t,
    commitmentLetters: t.commitmentLetters.filter((l) => l.letterId !== str(p, 'letterId')),
  }),
  PresentationRecorded: (t, p) => ('presentation' in p ? { ...t, presentation: presentationFromJson(p.presentation) } : t),
} satisfies Record<string, TrackFold>));

/** The event types of the Bimtek track that `foldBimtek` folds. */
export const BIMTEK_EVENT_TYPES: readonly string[] = [...folds.keys()];

/**
 * `state` after the Bimtek event `type` with payload `p`, as the kernel's apply.cpp makes it;
 * undefined when `type` is not one of BIMTEK_EVENT_TYPES. The version is the caller's.
 */
export function foldBimtek(state: MasterplanState, type: string, p: Json): MasterplanState | undefined {
  const fold = folds.get(type);
  return fold === undefined ? undefined : withTrack(state, fold(trackOf(state), p));
}
