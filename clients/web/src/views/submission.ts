// The submission checklist (what the gate still misses) and the status actions the user's
// role allows.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { MasterplanStatus } from '@rembuk/client';
import type { App } from '../app';
import { gateFromCoverage, submissionGate } from '../checklist';
import { NATIONAL_DIMENSIONS } from '../dimensions';

const FLOW: MasterplanStatus[] = ['draft', 'submitted', 'under_review', 'approved'];

export function submissionView(app: App): TemplateResult {
  const s = app.state!;
  const perms = app.permissions;
  const fromServer = gateFromCoverage(s, app.view('coverage'));
  const gate = fromServer ?? submissionGate(s);
  const missing = gate.filter((g) => !g.ok);
  const label = (code: string, subject?: string, one = false) => {
    const dimension = NATIONAL_DIMENSIONS.find((d) => d.id === subject);
    const subj = dimension ? (app.lang === 'id' ? dimension.id_name : dimension.en_name) : subject ?? '';
    return app.t(`gate.${code}${one ? '.one' : ''}`, { subject: subj });
  };
  const live = app.editable;
  const act = async (command: Parameters<App['submit']>[0]) => {
    const ok = await app.submit(command);
    if (ok) app.toast('ok', app.t('submission.done'));
  };
  const actions: TemplateResult[] = [];
  if (s.status === 'draft' && perms.canSubmit) {
    actions.push(html`<button class="btn primary" data-action="submit" ?disabled=${!live} @click=${() => act({ type: 'SubmitMasterplan' })}>${app.t('submission.submit')}</button>`);
  }
  if (s.status === 'submitted' && perms.canStartReview) {
    actions.push(html`<button class="btn primary" data-action="review" ?disabled=${!live} @click=${() => act({ type: 'StartReview' })}>${app.t('submission.startReview')}</button>`);
  }
  if (s.status === 'under_review' && perms.canApprove) {
    actions.push(html`<button class="btn primary" data-action="approve" ?disabled=${!live} @click=${() => act({ type: 'ApproveMasterplan' })}>${app.t('submission.approve')}</button>`);
  }
  if (s.status !== 'draft' && perms.canReopen) {
    actions.push(html`<button
      class="btn"
      data-action="reopen"
      ?disabled=${!live}
      @click=${() => {
        const reason = prompt(app.t('submission.reopenReason'));
        if (reason && reason.trim()) void act({ type: 'ReopenMasterplan', reason: reason.trim() });
      }}
    >
      ${app.t('submission.reopen')}
    </button>`);
  }
  return html`<div class="submission">
    <section class="card">
      <div class="card-head"><h2>${app.t('submission.flow')}</h2></div>
      <ol class="flow">
        ${FLOW.map((st, i) => {
          const at = FLOW.indexOf(s.status);
          const done = i < at || (i === at && st === 'approved');
          return html`<li class="${done ? 'done' : ''} ${i === at ? 'now' : ''}"><span class="flow-dot">${done ? '✓' : i + 1}</span>${app.t(`status.${st}`)}</li>`;
        })}
      </ol>
      <div class="actions">
        ${actions.length > 0 ? actions : html`<span class="muted">${app.t('submission.noActions')}</span>`}
      </div>
      ${app.lastSubmitViolations.length > 0
        ? html`<div class="field-error"><b>${app.t('submission.rejected')}</b>
            <ul>${app.lastSubmitViolations.map((v) => html`<li>${app.lang === 'id' ? v.messageId || v.code : v.messageEn || v.code}</li>`)}</ul></div>`
        : nothing}
    </section>
    <section class="card">
      <div class="card-head">
        <h2>${app.t('submission.title')}</h2>
        <span class="pill ${missing.length === 0 ? 'ok' : 'warn'}" data-testid="gate-summary">
          ${missing.length === 0 ? (s.status === 'draft' ? app.t('submission.ready') : app.t('submission.allMet')) : app.t('submission.missing', { count: missing.length })}
        </span>
      </div>
      <p class="muted">${app.t('submission.intro')}</p>
      <ul class="checklist" data-testid="checklist">
        ${gate.map(
          (g) => html`<li class="${g.ok ? 'ok' : 'missing'}" data-code=${g.code}>
            <span class="check-icon">${g.ok ? '✓' : '!'}</span>
            <span>${label(g.code, g.subject, !g.ok && !!g.programId)}</span>
            ${g.programId ? html`<button class="link" @click=${() => app.openProgram(g.programId!)}>${app.t('form.open')} →</button>` : nothing}
          </li>`,
        )}
      </ul>
    </section>
  </div>`;
}
