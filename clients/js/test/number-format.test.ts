// The web editor's number formatting (clients/web/src/format.ts) against the cases the
// kernel's number_format meets too (tests/data/number-format-cases.json), so the editor and
// the documents never disagree on how a number reads.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  formatDecimal,
  formatInteger,
  formatPercent,
  formatQuantity,
  formatRupiah,
  formatRupiahShort,
} from '../../web/src/format';

interface Case {
  fn: string;
  value: number;
  unit?: string;
  lang: 'id' | 'en';
  expect: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const cases: Case[] = JSON.parse(
  readFileSync(join(here, '..', '..', '..', 'tests', 'data', 'number-format-cases.json'), 'utf8'),
).cases;

function formatted(c: Case): string {
  switch (c.fn) {
    case 'integer':
      return formatInteger(c.value, c.lang);
    case 'decimal':
      return formatDecimal(c.value, c.lang);
    case 'percent':
      return formatPercent(c.value, c.lang);
    case 'quantity':
      return formatQuantity(c.value, c.unit, c.lang);
    case 'rupiah':
      return formatRupiah(c.value, c.lang);
    case 'rupiahShort':
      return formatRupiahShort(c.value, c.lang);
  }
  throw new Error(`unknown fn ${c.fn}`);
}

describe('number formatting shared with the kernel', () => {
  it('has the shared cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  for (const c of cases) {
    it(`${c.fn}(${c.value}${c.unit !== undefined ? `, "${c.unit}"` : ''}) in ${c.lang} is "${c.expect}"`, () => {
      expect(formatted(c)).toBe(c.expect);
    });
  }
  it('never writes scientific notation', () => {
    expect(formatDecimal(1e21, 'en')).not.toMatch(/e/i);
    expect(formatDecimal(121, 'id')).toBe('121');
  });
});
