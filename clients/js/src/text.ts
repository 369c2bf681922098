// The text type: operations over one narrative field and their transformation, the same
// semantics as the kernel's (kernel/model/text/include/rembuk/model/text/operation.hpp);
// both run tests/data/text-cases.json.
//
//   op        := component[]
//   component := number     keep n code points (n >= 1)
//              | string     insert this text (non-empty)
//              | {d: n}     delete the next n code points (n >= 1)
//
// Counts are Unicode code points (a JS string's UTF-16 surrogate pairs count once), so an
// operation never splits a character. Text after the last component is kept. Normal form
// (what every function returns): no empty component, no two neighbours of one kind, no
// trailing keep. transform(a, b, side) is `a` moved to apply after `b` (both made on the
// same text); at one place the `left` insert goes first. Pure functions; nothing is mutated.

export type TextComponent = number | string | { d: number };
export type TextOp = TextComponent[];
export type TextSide = 'left' | 'right';

export class TextOpError extends Error {
  constructor(
    readonly code: 'text.malformed_op' | 'text.op_too_long',
    message: string,
  ) {
    super(message);
    this.name = 'TextOpError';
  }
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** Code points in `text` (a lone surrogate counts as one). */
export function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (isLow(text.charCodeAt(i)) && i > 0 && isHigh(text.charCodeAt(i - 1))) continue;
    n++;
  }
  return n;
}

/** The UTF-16 index after the first `n` code points of `text` from UTF-16 index `from`. */
export function codePointIndex(text: string, n: number, from = 0): number {
  let i = from;
  while (i < text.length && n > 0) {
    i += isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
    n--;
  }
  return i;
}

type Kind = 'keep' | 'insert' | 'del';
const kindOf = (c: TextComponent): Kind =>
  typeof c === 'number' ? 'keep' : typeof c === 'string' ? 'insert' : 'del';
const lengthOf = (c: TextComponent): number =>
  typeof c === 'number' ? c : typeof c === 'string' ? codePoints(c) : c.d;

function append(op: TextOp, c: TextComponent): void {
  if (lengthOf(c) === 0) return;
  if (op.length > 0) {
    const last = op[op.length - 1];
    if (typeof last === 'number' && typeof c === 'number') {
      op[op.length - 1] = last + c;
      return;
    }
    if (typeof last === 'string' && typeof c === 'string') {
      op[op.length - 1] = last + c;
      return;
    }
    if (typeof last === 'object' && typeof c === 'object') {
      op[op.length - 1] = { d: last.d + c.d };
      return;
    }
  }
  op.push(typeof c === 'object' ? { d: c.d } : c);
}

function trim(op: TextOp): TextOp {
  if (op.length > 0 && typeof op[op.length - 1] === 'number') op.pop();
  return op;
}

/** Reads an operation piece by piece; past its end it keeps everything. */
class Reader {
  private index = 0;
  private offset = 0; // code points of op[index] taken
  private unitOffset = 0; // the same in UTF-16 units, for inserts
  constructor(private readonly op: TextOp) {}

  peek(): Kind | undefined {
    return this.index < this.op.length ? kindOf(this.op[this.index]) : undefined;
  }

  /** Up to `n` code points of the current component (all of it when n is undefined); a
   * component of kind `indivisible` is taken whole. Past the end: a keep of n, or undefined. */
  take(n?: number, indivisible?: Kind): TextComponent | undefined {
    if (this.index === this.op.length) return n === undefined ? undefined : n;
    const c = this.op[this.index];
    const left = lengthOf(c) - this.offset;
    if (n === undefined || n >= left || indivisible === kindOf(c)) {
      const part: TextComponent =
        typeof c === 'number' ? left : typeof c === 'string' ? c.slice(this.unitOffset) : { d: left };
      this.index++;
      this.offset = 0;
      this.unitOffset = 0;
      return part;
    }
    let part: TextComponent;
    if (typeof c === 'string') {
      const end = codePointIndex(c, n, this.unitOffset);
      part = c.slice(this.unitOffset, end);
      this.unitOffset = end;
    } else {
      part = typeof c === 'number' ? n : { d: n };
    }
    this.offset += n;
    return part;
  }
}

/** Checks and normalises an operation from JSON; throws TextOpError('text.malformed_op'). */
export function decodeTextOp(json: unknown): TextOp {
  if (!Array.isArray(json)) {
    throw new TextOpError('text.malformed_op', 'an operation is a JSON array of components');
  }
  const op: TextOp = [];
  json.forEach((c: unknown, i: number) => {
    const bad = (why: string) => new TextOpError('text.malformed_op', `component ${i} ${why}`);
    if (typeof c === 'number') {
      if (!Number.isSafeInteger(c) || c <= 0) throw bad('is not a positive whole number of code points to keep');
      append(op, c);
    } else if (typeof c === 'string') {
      if (c.length === 0) throw bad('inserts an empty string');
      append(op, c);
    } else if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
      const keys = Object.keys(c);
      const d = (c as { d?: unknown }).d;
      if (keys.length !== 1 || keys[0] !== 'd') throw bad('is an object other than {"d": n}');
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d <= 0) {
        throw bad('deletes a count that is not a positive whole number');
      }
      append(op, { d });
    } else {
      throw bad('is neither a number, a string nor {"d": n}');
    }
  });
  return trim(op);
}

/** Code points the operation reads (keeps and deletes). */
export function textBaseLength(op: TextOp): number {
  return op.reduce<number>((n, c) => (typeof c === 'string' ? n : n + lengthOf(c)), 0);
}

export function isNoop(op: TextOp): boolean {
  return op.every((c) => typeof c === 'number');
}

/** The text after `op`; throws TextOpError('text.op_too_long') when it reaches past the end. */
export function applyText(text: string, op: TextOp): string {
  let out = '';
  let at = 0; // UTF-16 index into text
  let cp = 0;
  for (const c of op) {
    if (typeof c === 'string') {
      out += c;
      continue;
    }
    const n = lengthOf(c);
    const end = codePointIndex(text, n, at);
    if (codePoints(text.slice(at, end)) < n) {
      throw new TextOpError(
        'text.op_too_long',
        `the operation reaches code point ${cp + n} of a text of ${cp + codePoints(text.slice(at))}`,
      );
    }
    if (typeof c === 'number') out += text.slice(at, end);
    at = end;
    cp += n;
  }
  return out + text.slice(at);
}

/** `op` moved to apply after `other` (both made on the same text). */
export function transformText(op: TextOp, other: TextOp, side: TextSide): TextOp {
  const result: TextOp = [];
  const reader = new Reader(op);
  for (const c of other) {
    if (typeof c === 'number') {
      let n = c;
      while (n > 0) {
        const chunk = reader.take(n, 'insert')!;
        if (typeof chunk !== 'string') n -= lengthOf(chunk);
        append(result, chunk);
      }
    } else if (typeof c === 'string') {
      while (side === 'left' && reader.peek() === 'insert') append(result, reader.take()!);
      append(result, codePoints(c));
    } else {
      let n = c.d;
      while (n > 0) {
        const chunk = reader.take(n, 'insert')!;
        if (typeof chunk === 'string') append(result, chunk);
        else n -= lengthOf(chunk);
      }
    }
  }
  for (let chunk = reader.take(); chunk !== undefined; chunk = reader.take()) append(result, chunk);
  return trim(result);
}

/** One operation with the effect of `first` then `second`. */
export function composeText(first: TextOp, second: TextOp): TextOp {
  const result: TextOp = [];
  const reader = new Reader(first);
  for (const c of second) {
    if (typeof c === 'number') {
      let n = c;
      while (n > 0) {
        const chunk = reader.take(n, 'del')!;
        if (typeof chunk !== 'object') n -= lengthOf(chunk);
        append(result, chunk);
      }
    } else if (typeof c === 'string') {
      append(result, c);
    } else {
      let n = c.d;
      while (n > 0) {
        const chunk = reader.take(n, 'del')!;
        if (typeof chunk === 'number') {
          n -= chunk;
          append(result, { d: chunk });
        } else if (typeof chunk === 'string') {
          n -= codePoints(chunk);
        } else {
          append(result, chunk);
        }
      }
    }
  }
  for (let chunk = reader.take(); chunk !== undefined; chunk = reader.take()) append(result, chunk);
  return trim(result);
}

/** The texts `op` deletes from `text`, one per delete component. */
export function deletedTexts(text: string, op: TextOp): string[] {
  const deleted: string[] = [];
  let at = 0;
  for (const c of op) {
    if (typeof c === 'string') continue;
    const n = lengthOf(c);
    const end = codePointIndex(text, n, at);
    if (codePoints(text.slice(at, end)) < n) {
      throw new TextOpError('text.op_too_long', 'the operation reaches past the end of the text');
    }
    if (typeof c === 'object') deleted.push(text.slice(at, end));
    at = end;
  }
  return deleted;
}

/** The operation that undoes `op`, given the texts it deleted (deletedTexts). */
export function invertText(op: TextOp, deleted: readonly string[]): TextOp {
  const result: TextOp = [];
  let next = 0;
  for (const c of op) {
    if (typeof c === 'number') append(result, c);
    else if (typeof c === 'string') append(result, { d: codePoints(c) });
    else {
      const text = deleted[next++];
      if (text === undefined || codePoints(text) !== c.d) {
        throw new TextOpError('text.malformed_op', "the deleted texts do not match the operation's deletes");
      }
      append(result, text);
    }
  }
  if (next !== deleted.length) {
    throw new TextOpError('text.malformed_op', 'more deleted texts than the operation deletes');
  }
  return trim(result);
}

/** Where a caret at `position` (code points) is after `op`. With 'left' an insert exactly at
 * the caret goes after it (other people's typing does not push a caret); with 'right' the
 * caret follows the insert (the author's own caret). */
export function transformPosition(position: number, op: TextOp, side: TextSide = 'left'): number {
  let at = 0;
  // A caret inside deleted text goes to the deletion point and stays before an insert made
  // there, whatever the side, as an insert at that caret would (transformText).
  let inDeleted = false;
  for (const c of op) {
    if (side === 'left' || inDeleted ? position <= at : position < at) break;
    if (typeof c === 'number') at += c;
    else if (typeof c === 'string') {
      const n = codePoints(c);
      at += n;
      position += n;
    } else {
      inDeleted = position - at < c.d;
      position -= Math.min(c.d, position - at);
    }
  }
  return position;
}

/** The UTF-16 index of code point `position` in `text` (for DOM selections). */
export function indexOfCodePoint(text: string, position: number): number {
  return codePointIndex(text, position);
}

/** The code point position of UTF-16 index `index` in `text`. */
export function codePointOfIndex(text: string, index: number): number {
  return codePoints(text.slice(0, index));
}
