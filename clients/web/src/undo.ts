// Which of the user's own edits "Undo" takes back: the latest command of theirs, read from
// the events, that the server would still undo (docs/commands.md, "Undo"). Pressing Undo
// again goes one edit further back, since an undone command and the Undo itself are skipped.
import type { StoredEvent } from '@rembuk/client';

export interface UndoCandidate {
  commandId: string;
  /** The command's events, in order (for the button's description). */
  events: StoredEvent[];
}

/** Events whose command the server refuses to undo (`undo.not_undoable`). */
const NOT_UNDOABLE = new Set([
  'MasterplanCreated',
  'MasterplanSubmitted',
  'ReviewStarted',
  'MasterplanApproved',
  'MasterplanReopened',
  'CommandUndone',
]);

export function lastUndoable(events: readonly StoredEvent[], user: string): UndoCandidate | null {
  const undone = new Set<string>();
  for (const e of events) {
    if (e.type === 'CommandUndone') {
      const id = (e.payload as { commandId?: unknown }).commandId;
      if (typeof id === 'string') undone.add(id);
    }
  }
  // Group by command, newest command first (events of one command are contiguous).
  for (let i = events.length - 1; i >= 0; ) {
    const id = events[i].commandId;
    let j = i;
    while (j > 0 && events[j - 1].commandId === id) j -= 1;
    const group = events.slice(j, i + 1);
    i = j - 1;
    if (!id || group[0].actor !== user || undone.has(id)) continue;
    if (group.some((e) => NOT_UNDOABLE.has(e.type))) continue;
    return { commandId: id, events: group };
  }
  return null;
}
