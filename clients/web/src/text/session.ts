// TextSession: one narrative field being written together (docs/concurrency.md, "Text
// operations"), as a ShareDB client keeps a document.
//
//   known    the field's text at `version`, as the server's events made it
//   inflight the one operation sent and not yet seen committed (with its command id)
//   pending  the user's edits since, composed into one operation, sent when inflight lands
//   text     known · inflight · pending: what the user sees
//
// A TextEdited of someone else was committed before our inflight operation (the server
// would move ours over it): it is moved over inflight and pending (theirs first at one
// place) and they over it, and then applied to what the user sees. Our own TextEdited (same
// command id) says where inflight landed. Pure logic: no DOM, no network (send is given).
import {
  applyText,
  codePoints,
  composeText,
  transformPosition,
  transformText,
  type TextOp,
} from '@rembuk/client';

export interface SentOp {
  commandId: string;
  baseVersion: number;
  ops: TextOp;
}

export class TextSession {
  known: string;
  version: number;
  inflight: SentOp | null = null;
  pending: TextOp = [];
  text: string;
  /** Set when the field's whole value changed under us: the caller must resync. */
  stale = false;

  constructor(
    readonly field: string,
    text: string,
    version: number,
    private readonly send: (op: SentOp) => void,
    private readonly newCommandId: () => string,
  ) {
    this.known = text;
    this.text = text;
    this.version = version;
  }

  /** The user changed the text to `next` (an input event): records the difference. */
  edit(next: string): TextOp {
    const op = diffToOp(this.text, next);
    if (op.length === 0) return op;
    this.pending = composeText(this.pending, op);
    this.text = next;
    return op;
  }

  /** Sends the pending edits when nothing is in flight. True when something was sent. */
  flush(): boolean {
    if (this.inflight !== null || this.pending.length === 0 || this.stale) return false;
    this.inflight = { commandId: this.newCommandId(), baseVersion: this.version, ops: this.pending };
    this.pending = [];
    this.send(this.inflight);
    return true;
  }

  get busy(): boolean {
    return this.inflight !== null || this.pending.length > 0;
  }

  /**
   * A committed TextEdited of this field at `version`. Returns the operation applied to what
   * the user sees (to move carets), or null when it was our own.
   */
  committed(version: number, commandId: string, ops: TextOp): TextOp | null {
    if (version <= this.version) return null; // seen already (a catch-up may repeat)
    this.known = applyText(this.known, ops);
    this.version = version;
    if (this.inflight !== null && commandId === this.inflight.commandId) {
      this.inflight = null;
      return null;
    }
    let shown = ops;
    if (this.inflight !== null) {
      const theirs = shown;
      shown = transformText(theirs, this.inflight.ops, 'left');
      this.inflight = { ...this.inflight, ops: transformText(this.inflight.ops, theirs, 'right') };
    }
    if (this.pending.length > 0) {
      const theirs = shown;
      shown = transformText(theirs, this.pending, 'left');
      this.pending = transformText(this.pending, theirs, 'right');
    }
    this.text = applyText(this.text, shown);
    return shown;
  }

  /** Another event at `version` (not a text edit of this field): only the version moves. */
  advance(version: number): void {
    if (version > this.version && this.inflight === null) this.version = version;
  }

  /** The field's whole value was set by someone else: start over from the server's text. */
  reset(text: string, version: number): void {
    this.known = text;
    this.text = text;
    this.version = version;
    this.inflight = null;
    this.pending = [];
    this.stale = false;
  }

  /** Our inflight operation was refused: drop it (and what was typed on top of it). */
  refused(): void {
    this.inflight = null;
    this.pending = [];
    this.text = this.known;
    this.stale = true;
  }
}

/**
 * The operation turning `before` into `after`: one replaced range found by the common prefix
 * and suffix (an input event changes one range), in code points, never splitting a pair.
 */
export function diffToOp(before: string, after: string): TextOp {
  if (before === after) return [];
  const a = Array.from(before);
  const b = Array.from(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const op: TextOp = [];
  if (start > 0) op.push(start);
  if (endB > start) op.push(b.slice(start, endB).join(''));
  if (endA > start) op.push({ d: endA - start });
  return op;
}

/** A selection (code points) after `op` was applied under it. */
export function moveSelection(
  selection: { start: number; end: number },
  op: TextOp,
): { start: number; end: number } {
  return { start: transformPosition(selection.start, op), end: transformPosition(selection.end, op) };
}

export { codePoints };
