// The Bimtek track as the editor shows it, read from the masterplan's state (the server's
// canonical JSON, "bimtek": {"stages": [...]}, docs/model.md).
import type { MasterplanState } from '@rembuk/client';

export interface StageInfo {
  number: number;
  scheduledDate: string;
  heldDate: string;
  place: string;
  onlineLink: string;
  experts: string[];
  membersPresent: string[];
  opdsPresent: string[];
  notes: string;
  closed: boolean;
}

export interface BimtekTrack {
  stages: StageInfo[];
  /** The first stage not closed (1..4), 5 once all are closed. */
  current: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The track of a state; before anything is recorded, four stages not yet scheduled. */
export function bimtekOf(state: MasterplanState | null): BimtekTrack {
  const raw = (state as unknown as { bimtek?: { stages?: unknown } } | null)?.bimtek;
  const list: unknown[] = Array.isArray(raw?.stages) ? raw.stages : [{}, {}, {}, {}];
  const stages: StageInfo[] = list.map((s, i) => {
    const o = (s ?? {}) as Record<string, unknown>;
    return {
      number: typeof o.number === 'number' ? o.number : typeof o.stage === 'number' ? o.stage : i + 1,
      scheduledDate: str(o.scheduledDate),
      heldDate: str(o.heldDate),
      place: str(o.place),
      onlineLink: str(o.onlineLink),
      experts: strs(o.experts),
      membersPresent: strs(o.members ?? o.membersPresent),
      opdsPresent: strs(o.opds ?? o.opdsPresent),
      notes: str(o.notes),
      closed: o.closed === true,
    };
  });
  const open = stages.find((s) => !s.closed);
  return { stages, current: open ? open.number : 5 };
}
