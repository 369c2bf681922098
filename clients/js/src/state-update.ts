// Copy-on-write updates of one entity inside a masterplan state, shared by the optimistic
// application of commands (optimistic.ts) and the fold of events (fold.ts). Not exported
// from the package: a UI changes the state only through those two.

import type { Id } from './commands.js';
import type { MasterplanState, Program } from './state.js';

/**
 * `state` with program `programId` replaced by `change(program)`, or removed when it returns
 * null; `state` itself (the same object) when there is no such program or `change` returns
 * the program it was given.
 */
export function updateProgram(
  state: MasterplanState,
  programId: Id,
  change: (program: Program) => Program | null,
): MasterplanState {
  let touched = false;
  const programs: Program[] = [];
  for (const program of state.programs) {
    if (program.programId !== programId) {
      programs.push(program);
      continue;
    }
    const next = change(program);
    touched ||= next !== program;
    if (next !== null) programs.push(next);
  }
  return touched ? { ...state, programs } : state;
}

/** `program` with indicator `indicatorId` replaced by `change(indicator)`, or removed on null. */
export function updateIndicator(
  program: Program,
  indicatorId: Id,
  change: (indicator: Program['indicators'][number]) => Program['indicators'][number] | null,
): Program {
  const indicators: Program['indicators'] = [];
  for (const indicator of program.indicators) {
    if (indicator.indicatorId !== indicatorId) {
      indicators.push(indicator);
      continue;
    }
    const next = change(indicator);
    if (next !== null) indicators.push(next);
  }
  return { ...program, indicators };
}

/** A comparator by the string `key`, in the order of the kernel's maps (canonical JSON). */
export function byId<T>(key: (item: T) => string) {
  return (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** `list` with `item` in place of the one of the same key (or added), kept sorted by key. */
export function putSorted<T>(list: readonly T[], key: (item: T) => string, item: T): T[] {
  const id = key(item);
  return [...list.filter((x) => key(x) !== id), item].sort(byId(key));
}
