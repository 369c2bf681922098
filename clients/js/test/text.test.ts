// The text type of @rembuk/client against the cases the kernel's tests also run
// (tests/data/text-cases.json), and the convergence properties over seeded random operations.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import {
  applyText,
  codePoints,
  composeText,
  decodeTextOp,
  deletedTexts,
  invertText,
  TextOpError,
  transformPosition,
  transformText,
  type TextOp,
  type TextSide,
} from '../src/text.js';

type Case = Record<string, unknown> & { name?: string };
const cases = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../tests/data/text-cases.json', import.meta.url)), 'utf8'),
) as Record<string, Case[]>;

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof TextOpError ? e.code : String(e);
  }
};

describe('the shared text cases', () => {
  it('has every group', () => {
    for (const group of ['decode', 'apply', 'transform', 'compose', 'invert', 'transformPosition']) {
      expect(cases[group]?.length, group).toBeGreaterThan(0);
    }
  });
  it.each(cases.decode.map((c) => [c.name, c]))('decode: %s', (_, c) => {
    if (c.error !== undefined) expect(codeOf(() => decodeTextOp(c.json))).toBe(c.error);
    else expect(decodeTextOp(c.json)).toEqual(c.op);
  });
  it.each(cases.apply.map((c) => [c.name, c]))('apply: %s', (_, c) => {
    const op = decodeTextOp(c.op);
    if (c.error !== undefined) expect(codeOf(() => applyText(c.doc as string, op))).toBe(c.error);
    else expect(applyText(c.doc as string, op)).toBe(c.result);
  });
  it.each(cases.transform.map((c) => [c.name, c]))('transform: %s', (_, c) => {
    expect(transformText(decodeTextOp(c.op), decodeTextOp(c.other), c.side as TextSide)).toEqual(c.result);
  });
  it.each(cases.compose.map((c) => [c.name, c]))('compose: %s', (_, c) => {
    expect(composeText(decodeTextOp(c.first), decodeTextOp(c.second))).toEqual(c.result);
  });
  it.each(cases.invert.map((c) => [c.name, c]))('invert: %s', (_, c) => {
    const op = decodeTextOp(c.op);
    expect(invertText(op, deletedTexts(c.doc as string, op))).toEqual(c.result);
  });
  it.each(cases.transformPosition.map((c) => [c.name, c]))('transformPosition: %s', (_, c) => {
    expect(transformPosition(c.position as number, decodeTextOp(c.op), c.side as TextSide)).toBe(c.result);
  });
});

// A small seeded generator (mulberry32), so a failure names a seed that reproduces it.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const LETTERS = ['a', 'b', ' ', 'é', '日', '😀', '🇮'];
function randomText(r: () => number, max: number): string {
  let s = '';
  for (let n = Math.floor(r() * (max + 1)); n > 0; n--) s += LETTERS[Math.floor(r() * LETTERS.length)];
  return s;
}
function randomOp(r: () => number, length: number): TextOp {
  const op: TextOp = [];
  let left = length;
  for (;;) {
    const k = Math.floor(r() * 4);
    if ((k === 0 || k === 3) && left > 0) {
      const n = 1 + Math.floor(r() * left);
      op.push(k === 0 ? n : { d: n });
      left -= n;
    } else if (k === 1 || k === 2) {
      op.push(randomText(r, 3) || 'x');
    } else break;
  }
  return decodeTextOp(op);
}

describe('text properties over seeded random operations', () => {
  it('concurrent operations converge, compose agrees, the inverse undoes', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const r = rng(seed);
      const doc = randomText(r, 10);
      const a = randomOp(r, codePoints(doc));
      const b = randomOp(r, codePoints(doc));
      const atA = applyText(applyText(doc, a), transformText(b, a, 'right'));
      const atB = applyText(applyText(doc, b), transformText(a, b, 'left'));
      expect(atA, `seed ${seed}`).toBe(atB);
      const middle = applyText(doc, a);
      const c = randomOp(r, codePoints(middle));
      expect(applyText(doc, composeText(a, c)), `seed ${seed}`).toBe(applyText(middle, c));
      expect(applyText(middle, invertText(a, deletedTexts(doc, a))), `seed ${seed}`).toBe(doc);
    }
  });
});
