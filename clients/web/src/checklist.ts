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
