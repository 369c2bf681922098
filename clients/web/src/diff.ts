// What changed between two versions of the state, as field keys (the kernel's keys, e.g.
// `program/p-1/title`, `program/p-1/budget/2020/APBD`), for the history slider's highlights.
import type { MasterplanState, Program } from '@rembuk/client';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function programKeys(before: Program | undefined, after: Program | undefined, out: Set<string>): void {
  const id = (after ?? before)!.programId;
  const base = `program/${id}`;
  if (!before || !after) {
    out.add(base);
    return;
  }
  for (const f of ['title', 'description', 'dimension', 'element', 'leadOpd', 'quickWin', 'outputs', 'outcomes'] as const) {
    if (!same(before[f], after[f])) out.add(`${base}/${f}`);
  }
  if (before.startYear !== after.startYear || before.endYear !== after.endYear) out.add(`${base}/years`);
  const opds = new Set([...before.supportingOpds, ...after.supportingOpds]);
  for (const o of opds) {
    if (before.supportingOpds.includes(o) !== after.supportingOpds.includes(o)) out.add(`${base}/supportingOpds/${o}`);
  }
  const lines = new Map<string, [number | undefined, number | undefined]>();
  for (const l of before.budget) lines.set(`${l.year}/${l.source}`, [l.amount, undefined]);
  for (const l of after.budget) {
    const k = `${l.year}/${l.source}`;
    lines.set(k, [lines.get(k)?.[0], l.amount]);
  }
  for (const [k, [a, b]] of lines) if (a !== b) out.add(`${base}/budget/${k}`);
  const indicators = new Set([...before.indicators, ...after.indicators].map((i) => i.indicatorId));
  for (const iid of indicators) {
    const a = before.indicators.find((i) => i.indicatorId === iid);
    const b = after.indicators.find((i) => i.indicatorId === iid);
    const ib = `${base}/indicator/${iid}`;
    if (!a || !b) {
      out.add(ib);
      continue;
    }
    for (const f of ['name', 'unit', 'baseline'] as const) if (!same(a[f], b[f])) out.add(`${ib}/${f}`);
    const years = new Set([...a.targets, ...b.targets].map((t) => t.year));
    for (const y of years) {
      const ta = a.targets.find((t) => t.year === y)?.value;
      const tb = b.targets.find((t) => t.year === y)?.value;
      if (ta !== tb) out.add(`${ib}/target/${y}`);
    }
  }
}

export function changedKeys(before: MasterplanState | null, after: MasterplanState): Set<string> {
  const out = new Set<string>();
  if (before === null) return out;
  if (before.vision !== after.vision) out.add('masterplan/vision');
  if (before.status !== after.status) out.add('masterplan/status');
  if (before.cityName !== after.cityName || before.regionCode !== after.regionCode) out.add('masterplan/identity');
  if (before.startYear !== after.startYear || before.endYear !== after.endYear) out.add('masterplan/period');
  if (!same(before.missions, after.missions)) out.add('masterplan/missions');
  if (!same(before.opds, after.opds)) out.add('masterplan/opds');
  if (!same(before.members, after.members)) out.add('masterplan/members');
  const ids = new Set([...before.programs, ...after.programs].map((p) => p.programId));
  for (const id of ids) {
    programKeys(
      before.programs.find((p) => p.programId === id),
      after.programs.find((p) => p.programId === id),
      out,
    );
  }
  return out;
}

/** True when `key` or anything under it changed. */
export function touches(changed: Set<string>, key: string): boolean {
  if (changed.has(key)) return true;
  const prefix = `${key}/`;
  for (const k of changed) if (k.startsWith(prefix)) return true;
  // A whole program added or removed highlights its fields too.
  for (const k of changed) if (key.startsWith(`${k}/`)) return true;
  return false;
}
