// Number, money and time formatting for Indonesian and English.
import type { Lang } from './i18n';

const locales: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

export function formatNumber(value: number, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(locales[lang], { maximumFractionDigits: digits }).format(value);
}

/** Full rupiah, e.g. "Rp 1.250.000.000". */
export function formatRupiah(value: number, lang: Lang): string {
  return `Rp ${formatNumber(value, lang)}`;
}

/** Short rupiah: "Rp 1,25 M" (miliar) / "Rp 1.25 bn". */
export function formatRupiahShort(value: number, lang: Lang): string {
  const units =
    lang === 'id'
      ? [
          [1e12, 'T'],
          [1e9, 'M'],
          [1e6, 'jt'],
        ]
      : [
          [1e12, 'tn'],
          [1e9, 'bn'],
          [1e6, 'm'],
        ];
  for (const [size, unit] of units as [number, string][]) {
    if (Math.abs(value) >= size) return `Rp ${formatNumber(value / size, lang, 2)} ${unit}`;
  }
  return `Rp ${formatNumber(value, lang)}`;
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
