// The submission gate (rule 6, docs/commands.md "Status"), computed from the state so the
// checklist is live: what SubmitMasterplan would still reject with `submission.incomplete`.
import type { MasterplanState } from '@rembuk/client';
import { NATIONAL_DIMENSIONS } from './dimensions';

export interface GateItem {
  code: string;
  ok: boolean;
  /** For per-dimension / per-program items. */
  subject?: string;
  /** programId, for a link to the form. */
  programId?: string;
}

export function submissionGate(state: MasterplanState): GateItem[] {
  const items: GateItem[] = [];
  items.push({ code: 'submission.vision_missing', ok: state.vision.trim() !== '' });
  for (const d of NATIONAL_DIMENSIONS) {
    items.push({
      code: 'submission.dimension_without_program',
      ok: state.programs.some((p) => p.dimension === d.id),
      subject: d.id,
    });
  }
  items.push({ code: 'submission.no_quick_win', ok: state.programs.some((p) => p.quickWin) });
  for (const p of state.programs) {
    if (p.indicators.length === 0) {
      items.push({ code: 'submission.program_without_indicator', ok: false, subject: p.title, programId: p.programId });
    }
    if (!p.leadOpd) {
      items.push({ code: 'submission.program_without_lead_opd', ok: false, subject: p.title, programId: p.programId });
    }
  }
  if (state.programs.length > 0 && state.programs.every((p) => p.indicators.length > 0)) {
    items.push({ code: 'submission.program_without_indicator', ok: true });
  }
  if (state.programs.length > 0 && state.programs.every((p) => p.leadOpd)) {
    items.push({ code: 'submission.program_without_lead_opd', ok: true });
  }
  return items;
}

interface CoverageBody {
  submission?: { ready: boolean; missing: { code: string; detail?: { dimension?: string; programId?: string } }[] };
}

/** The gate as the server's coverage view reports it (same items as submissionGate). */
export function gateFromCoverage(state: MasterplanState, coverage: unknown): GateItem[] | null {
  const sub = (coverage as CoverageBody | null)?.submission;
  if (!sub || !Array.isArray(sub.missing)) return null;
  const items: GateItem[] = [];
  const missing = (code: string) => sub.missing.filter((m) => m.code === code);
  items.push({ code: 'submission.vision_missing', ok: missing('submission.vision_missing').length === 0 });
  for (const d of NATIONAL_DIMENSIONS) {
    const absent = missing('submission.dimension_without_program').some((m) => m.detail?.dimension === d.id);
    items.push({ code: 'submission.dimension_without_program', ok: !absent, subject: d.id });
  }
  items.push({ code: 'submission.no_quick_win', ok: missing('submission.no_quick_win').length === 0 });
  for (const code of ['submission.program_without_indicator', 'submission.program_without_lead_opd']) {
    const list = missing(code);
    for (const m of list) {
      const p = state.programs.find((x) => x.programId === m.detail?.programId);
      items.push({ code, ok: false, subject: p?.title ?? m.detail?.programId, programId: m.detail?.programId });
    }
    if (list.length === 0) items.push({ code, ok: true });
  }
  return items;
}
