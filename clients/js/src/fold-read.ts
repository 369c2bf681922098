// Reading event payloads the way the kernel does (kernel/model json_access.hpp and
// entity_json.cpp), so that the fold of an event (fold.ts) makes the same state of the same
// payload, down to the defaults of a missing field and an entity the kernel refuses.

import type { Baseline, QuickWinProfile, RpjmdReference } from './commands.js';
import type { Indicator, Member, Program } from './state.js';
import { byId } from './state-update.js';

export type Json = Record<string, unknown>;

/** The string at `key`; '' when absent or not a string (ja::str). */
export function str(o: Json, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

/** null for '', as the canonical JSON writes an empty optional string (ja::opt_string_value). */
export function optStr(text: string): string | null {
  return text === '' ? null : text;
}

function toInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 9e18 ? v : undefined;
}

/** The integer at `key`, undefined when absent or not integral (ja::opt_int). */
export function int(o: Json, key: string): number | undefined {
  return toInt(o[key]);
}

/** The year at `key`; 0 when absent or out of range (ja::year). */
export function year(o: Json, key: string): number {
  const v = int(o, key);
  return v === undefined || v < -100000 || v > 100000 ? 0 : v;
}

/** The number at `key`, undefined when absent or not a number (ja::opt_number). */
export function num(o: Json, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' ? v : undefined;
}

/** The boolean at `key`, or `fallback` when absent or not a boolean (ja::boolean). */
export function bool(o: Json, key: string, fallback: boolean): boolean {
  const v = o[key];
  return typeof v === 'boolean' ? v : fallback;
}

/** The strings of the array at `key`, skipping anything else (ja::strings). */
export function strings(o: Json, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The object at `key`, undefined when absent or not an object (ja::obj). */
export function obj(o: Json, key: string): Json | undefined {
  const v = o[key];
  return isObject(v) ? v : undefined;
}

/** True for a JSON object (not null, not an array). */
export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A std::set<std::string> as the canonical JSON lists it: unique, sorted. */
export function sortedSet(items: readonly string[]): string[] {
  return [...new Set(items)].sort(byId((s: string) => s));
}

// The strict readers of entity_json.cpp: undefined where the kernel's decoding fails.
const FAIL = Symbol('fail');
type Read<T> = T | typeof FAIL;

function needString(o: Json, key: string, required = true): Read<string> {
  const v = o[key];
  if (v === undefined || v === null) return required ? FAIL : '';
  return typeof v === 'string' ? v : FAIL;
}

function needYear(o: Json, key: string): Read<number> {
  const v = toInt(o[key]);
  return v === undefined || v < -100000 || v > 100000 ? FAIL : v;
}

function needStrings(o: Json, key: string): Read<string[]> {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return FAIL;
  return v as string[];
}

function ok(...reads: Read<unknown>[]): boolean {
  return reads.every((r) => r !== FAIL);
}

/** A baseline: null for JSON null, undefined when the kernel refuses it. */
export function baselineFromJson(v: unknown): Baseline | null | undefined {
  if (v === null) return null;
  if (!isObject(v) || typeof v.value !== 'number') return undefined;
  if (v.year === undefined || v.year === null) return { value: v.value, year: null };
  const y = toInt(v.year);
  return y === undefined ? undefined : { value: v.value, year: y };
}

/** An indicator as the kernel decodes and re-encodes it; undefined when it refuses it. */
export function indicatorFromJson(v: unknown): Indicator | undefined {
  if (!isObject(v)) return undefined;
  const id = needString(v, 'indicatorId');
  const name = needString(v, 'name');
  const unit = needString(v, 'unit', false);
  if (!ok(id, name, unit)) return undefined;
  let baseline: Baseline | null = null;
  if ('baseline' in v) {
    const decoded = baselineFromJson(v.baseline);
    if (decoded === undefined) return undefined;
    baseline = decoded;
  }
  const targets = new Map<number, number>();
  if (v.targets !== undefined) {
    if (!Array.isArray(v.targets)) return undefined;
    for (const t of v.targets) {
      if (!isObject(t)) return undefined;
      const y = needYear(t, 'year');
      if (y === FAIL || typeof t.value !== 'number') return undefined;
      targets.set(y, t.value);
    }
  }
  return {
    indicatorId: id as string,
    name: name as string,
    unit: unit as string,
    baseline,
    targets: [...targets].sort((a, b) => a[0] - b[0]).map(([year, value]) => ({ year, value })),
  };
}

/** A quick win's profile; undefined for anything but an object (the kernel's nullopt). */
export function quickWinProfileFromJson(v: unknown): QuickWinProfile | undefined {
  if (!isObject(v)) return undefined;
  return {
    objective: str(v, 'objective'),
    location: str(v, 'location'),
    beneficiaries: str(v, 'beneficiaries'),
    timeline: str(v, 'timeline'),
  };
}

/** `program` with its Bimtek additions as the canonical JSON has them: only when set. */
export function withProgramBimtek(
  program: Program,
  missions: readonly string[],
  rpjmdProgram: string,
  renstra: string,
  profile: QuickWinProfile | undefined,
): Program {
  const { missions: _m, rpjmdProgram: _r, renstra: _s, quickWinProfile: _q, ...rest } = program;
  const result: Program = rest;
  if (missions.length > 0) result.missions = sortedSet(missions);
  if (rpjmdProgram !== '') result.rpjmdProgram = rpjmdProgram;
  if (renstra !== '') result.renstra = renstra;
  if (profile !== undefined) result.quickWinProfile = profile;
  return result;
}

/** A program as the kernel decodes and re-encodes it; undefined when it refuses it. */
export function programFromJson(v: unknown): Program | undefined {
  if (!isObject(v)) return undefined;
  const id = needString(v, 'programId');
  const title = needString(v, 'title');
  const description = needString(v, 'description', false);
  const dimension = needString(v, 'dimension');
  const element = needString(v, 'element');
  const lead = needString(v, 'leadOpd', false);
  const start = needYear(v, 'startYear');
  const end = needYear(v, 'endYear');
  const supporting = needStrings(v, 'supportingOpds');
  const outputs = needStrings(v, 'outputs');
  const outcomes = needStrings(v, 'outcomes');
  if (!ok(id, title, description, dimension, element, lead, start, end, supporting, outputs, outcomes)) {
    return undefined;
  }
  const budget = new Map<string, { year: number; source: string; amount: number }>();
  if (v.budget !== undefined && v.budget !== null) {
    if (!Array.isArray(v.budget)) return undefined;
    for (const line of v.budget) {
      if (!isObject(line)) return undefined;
      const y = needYear(line, 'year');
      const source = needString(line, 'source');
      const amount = int(line, 'amount');
      if (y === FAIL || source === FAIL || amount === undefined) return undefined;
      budget.set(JSON.stringify([y, source]), { year: y, source, amount });
    }
  }
  const indicators = new Map<string, Indicator>();
  if (v.indicators !== undefined && v.indicators !== null) {
    if (!Array.isArray(v.indicators)) return undefined;
    for (const item of v.indicators) {
      const indicator = indicatorFromJson(item);
      if (indicator === undefined) return undefined;
      indicators.set(indicator.indicatorId, indicator);
    }
  }
  const program: Program = {
    programId: id as string,
    title: title as string,
    description: description as string,
    dimension: dimension as string,
    element: element as string,
    leadOpd: optStr(lead as string),
    supportingOpds: sortedSet(supporting as string[]),
    startYear: start as number,
    endYear: end as number,
    quickWin: bool(v, 'quickWin', false),
    budget: [...budget.values()].sort(budgetOrder),
    indicators: [...indicators.values()].sort(byId((i: Indicator) => i.indicatorId)),
    outputs: outputs as string[],
    outcomes: outcomes as string[],
  };
  return withProgramBimtek(
    program,
    strings(v, 'missions'),
    str(v, 'rpjmdProgram'),
    str(v, 'renstra'),
    'quickWinProfile' in v ? quickWinProfileFromJson(v.quickWinProfile) : undefined,
  );
}

/** Budget lines in the kernel's (year, source) order. */
export function budgetOrder(a: { year: number; source: string }, b: { year: number; source: string }): number {
  return a.year - b.year || byId((s: string) => s)(a.source, b.source);
}

/** A member as the kernel decodes and re-encodes it; undefined when it refuses it. */
export function memberFromJson(v: unknown): Member | undefined {
  if (!isObject(v)) return undefined;
  const user = needString(v, 'userId');
  const name = needString(v, 'name', false);
  const role = needString(v, 'role');
  const opd = needString(v, 'opdId', false);
  const title = needString(v, 'title', false);
  if (!ok(user, name, role, opd, title)) return undefined;
  return {
    userId: user as string,
    name: name as string,
    role: role as string,
    opdId: optStr(opd as string),
    title: optStr(title as string),
  };
}

/** An RPJMD reference: null for JSON null, undefined when the kernel refuses it. */
export function rpjmdFromJson(v: unknown): RpjmdReference | null | undefined {
  if (v === null) return null;
  if (!isObject(v)) return undefined;
  const title = needString(v, 'title');
  const start = needYear(v, 'startYear');
  const end = needYear(v, 'endYear');
  const regulation = needString(v, 'regulation', false);
  if (!ok(title, start, end, regulation)) return undefined;
  return {
    title: title as string,
    startYear: start as number,
    endYear: end as number,
    regulation: optStr(regulation as string),
  };
}
