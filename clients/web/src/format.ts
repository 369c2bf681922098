// Number, money and time formatting for Indonesian and English.
//
// Numbers follow the same rules as the kernel's rembuk/common/number_format.hpp (documents,
// exports, CLI views), checked against the same cases (tests/data/number-format-cases.json,
// clients/js/test/number-format.test.ts): 1.250 / 1,250; 85,5 % / 85.5%; Rp 1,2 miliar /
// Rp 1.2 billion; never scientific notation.
import type { Lang } from './i18n';

const locales: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

export function formatNumber(value: number, lang: Lang, digits = 0): string {
  if (!Number.isFinite(value)) return '—';
  // A value that rounds to zero is "0", never "-0".
  const shown = Math.abs(value) < 0.5 / 10 ** digits ? 0 : value;
  return new Intl.NumberFormat(locales[lang], { maximumFractionDigits: digits }).format(shown);
}

/** A whole number with thousands separators: "1.250" / "1,250". */
export function formatInteger(value: number, lang: Lang): string {
  return formatNumber(Math.trunc(value), lang);
}

/** Up to `digits` decimals, no trailing zeros: "85,5", "121", "1.250,75". */
export function formatDecimal(value: number, lang: Lang, digits = 2): string {
  return formatNumber(value, lang, digits);
}

/** "85,5 %" (Indonesian puts a space before the sign) / "85.5%". */
export function formatPercent(value: number, lang: Lang, digits = 1): string {
  return `${formatNumber(value, lang, digits)}${lang === 'id' ? ' %' : '%'}`;
}

/** A value with its unit: "121 orang", "1.250 kunjungan", "85,5 %" (unit "%" or "persen"). */
export function formatQuantity(value: number, unit: string | undefined, lang: Lang): string {
  const u = (unit ?? '').trim();
  if (u === '%' || u === 'persen' || u === 'Persen' || u === 'percent') return formatPercent(value, lang, 2);
  const n = formatNumber(value, lang, 2);
  return u === '' ? n : `${n} ${u}`;
}

/** Full rupiah, e.g. "Rp 1.250.000.000" / "Rp 1,250,000,000"; negative "-Rp 5.000". */
export function formatRupiah(value: number, lang: Lang): string {
  const body = `Rp ${formatNumber(Math.abs(value), lang)}`;
  return value < 0 ? `-${body}` : body;
}

/** Short rupiah: "Rp 1,2 miliar", "Rp 750 juta" / "Rp 1.2 billion" (up to two decimals). */
export function formatRupiahShort(value: number, lang: Lang): string {
  const units: [number, string, string][] = [
    [1e12, 'triliun', 'trillion'],
    [1e9, 'miliar', 'billion'],
    [1e6, 'juta', 'million'],
  ];
  const magnitude = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  for (const [size, id, en] of units) {
    // By what it rounds to: 999.999.999 is "Rp 1 miliar", not "Rp 1.000 juta".
    if (Math.round((magnitude / size) * 100) >= 100) {
      return `${sign}Rp ${formatNumber(magnitude / size, lang, 2)} ${lang === 'id' ? id : en}`;
    }
  }
  return formatRupiah(value, lang);
}

export function formatTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locales[lang], {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

export function relativeTime(iso: string, lang: Lang, now = Date.now()): string {
  const date = new Date(iso).getTime();
  if (Number.isNaN(date)) return '';
  const seconds = Math.round((date - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locales[lang], { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(Math.round(seconds), 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  return formatTime(iso, lang);
}

/** Parses "1.250.000" / "1,250,000" / "1250000" into whole rupiah; null when not a number. */
export function parseRupiah(text: string): number | null {
  const digits = text.replace(/[^\d-]/g, '');
  if (digits === '' || digits === '-') return null;
  const n = Number(digits);
  return Number.isFinite(n) ? n : null;
}

export function parseDecimal(text: string, lang: Lang): number | null {
  let t = text.trim();
  if (t === '') return null;
  if (lang === 'id') t = t.replace(/\./g, '').replace(',', '.');
  else t = t.replace(/,/g, '');
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
