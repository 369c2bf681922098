// One line per event for the activity feed, in the user's language.
import type { MasterplanState, StoredEvent } from '@rembuk/client';
import { formatNumber, formatRupiahShort } from './format';
import { ROMAN } from './bimtek/text';
import { t, type Key, type Lang } from './i18n';

function programTitle(state: MasterplanState | null, id: unknown, payload: Record<string, unknown>): string {
  const fromPayload = (payload.program as { title?: string } | undefined)?.title ?? (payload.title as string | undefined);
  if (fromPayload) return fromPayload;
  return state?.programs.find((p) => p.programId === id)?.title ?? String(id ?? '');
}

function opdName(state: MasterplanState | null, id: unknown): string {
  const opd = state?.opds.find((o) => o.opdId === id);
  return opd?.shortName || opd?.name || String(id ?? '');
}

export function describeEvent(event: StoredEvent, state: MasterplanState | null, lang: Lang): string {
  const p = event.payload as Record<string, unknown>;
  const params: Record<string, string | number> = {
    program: programTitle(state, p.programId, p),
    opd: opdName(state, p.opdId ?? p.leadOpd),
    year: String(p.year ?? ''),
    source: p.source ? t(lang, `source.${String(p.source)}`) : '',
    start: String(p.startYear ?? ''),
    end: String(p.endYear ?? ''),
    city: String(p.cityName ?? ''),
    name: String(p.name ?? (p.member as { name?: string } | undefined)?.name ?? p.userId ?? ''),
    title: String(p.title ?? ''),
    reason: String(p.reason ?? ''),
    type: event.type,
    text: String(p.text ?? '').slice(0, 80),
    field: String(p.field ?? ''),
    stage: typeof p.stage === 'number' ? ROMAN[p.stage] ?? String(p.stage) : '',
  };
  if (typeof p.amount === 'number') params.amount = formatRupiahShort(p.amount, lang);
  if (typeof p.value === 'number') params.value = formatNumber(p.value, lang, 2);
  if (typeof p.quickWin === 'boolean') params.quickWin = t(lang, p.quickWin ? 'ev.qw.on' : 'ev.qw.off');
  if (event.type === 'ProgramUpdated' && p.changes && typeof p.changes === 'object') {
    params.fields = Object.keys(p.changes)
      .map((f) => t(lang, `fields.${f}`))
      .join(', ');
  }
  const key = `ev.${event.type}` as Key;
  const text = t(lang, key, params);
  return text === key ? t(lang, 'ev.unknown', params) : text;
}

/** The entity an event is about (for highlighting and linking). */
export function eventEntity(event: StoredEvent): string | null {
  const p = event.payload as Record<string, unknown>;
  if (typeof p.programId === 'string') return `program/${p.programId}`;
  return null;
}
