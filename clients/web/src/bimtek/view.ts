// The Bimtek tab: the four stages as a timeline, the current stage's outputs (done, missing,
// who owes what), its schedule, attendance and notes with the forms that record them
// (forms.ts), "Tutup tahap" (refused with the list of what is missing), and the four
// documents to download.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { Command } from '@rembuk/client';
import type { App } from '../app';
import { formatInteger } from '../format';
import { DOCUMENTS, downloadDocument, type DocumentFormat, type DocumentKind } from './documents';
import { bt, ROMAN } from './text';
import { bimtekOf, type StageInfo } from './stages';
import { stageForms } from './forms';
import './bimtek.css';

/** Downloads in flight, by "document/format", so a button shows it is working. */
const busy = new Set<string>();

/** The last refusal of "Tutup tahap" per stage: what is missing and who owes it. */
const refusals = new Map<number, MissingOutput[]>();

interface MissingOutput {
  text: string;
  owedBy: string;
  output: string;
}

function owedByName(app: App, owedBy: string): string {
  if (owedBy === 'tim_pelaksana' || owedBy === '') return bt(app.lang, 'checklist.timPelaksana');
  const opd = app.state?.opds.find((o) => o.opdId === owedBy);
  return opd?.shortName || opd?.name || owedBy;
}

async function closeStage(app: App, stage: number): Promise<void> {
  if (!app.client) return;
  const command: Command = { type: 'CloseBimtekStage', stage };
  const outcome = await app.client.submit(app.masterplan, command, { baseVersion: app.serverState?.version });
  if (outcome.status === 'ack') {
    refusals.delete(stage);
    app.toast('ok', bt(app.lang, 'close.done', { n: ROMAN[stage] }));
  } else {
    const missing = outcome.violations.map((v) => {
      const detail = (v.detail ?? {}) as { owedBy?: string; output?: string };
      // The kernel names the owner by id ("tanggung jawab: tim_pelaksana"); we name it below.
      const message = ((app.lang === 'id' ? v.messageId : v.messageEn) || v.code).replace(/\s*\((tanggung jawab|owed by): [^)]*\)\s*$/, '');
      return {
        text: message,
        owedBy: detail.owedBy ?? '',
        output: detail.output ?? v.code,
      };
    });
    refusals.set(stage, missing.length > 0 ? missing : [{ text: outcome.message, owedBy: '', output: outcome.code }]);
  }
  app.render();
}

function closeCard(app: App, stage: number): TemplateResult {
  const refused = refusals.get(stage);
  const mayClose = app.editable && app.permissions.canEditMasterplan;
  return html`<div class="bimtek-close">
    ${mayClose
      ? html`<button class="btn primary" data-action="close-stage" data-stage=${stage} @click=${() => void closeStage(app, stage)}>
          ${bt(app.lang, 'close.button')} ${ROMAN[stage]}
        </button>`
      : nothing}
    ${refused
      ? html`<div class="bimtek-refusal" role="alert" data-testid="bimtek-refusal">
          <b>${bt(app.lang, 'close.refused', { n: ROMAN[stage] })}</b>
          <ul>
            ${refused.map((m) => html`<li data-output=${m.output}>${m.text}${m.owedBy ? html` <span class="muted small">— ${bt(app.lang, 'checklist.owes', { who: owedByName(app, m.owedBy) })}</span>` : nothing}</li>`)}
          </ul>
        </div>`
      : nothing}
  </div>`;
}

function sizeText(bytes: number, app: App): string {
  return bytes >= 1024 * 1024
    ? `${formatInteger(Math.round(bytes / 1024 / 1024), app.lang)} MB`
    : `${formatInteger(Math.max(1, Math.round(bytes / 1024)), app.lang)} KB`;
}

async function download(app: App, document: DocumentKind, format: DocumentFormat): Promise<void> {
  const key = `${document}/${format}`;
  if (busy.has(key)) return;
  busy.add(key);
  const name = bt(app.lang, `docs.${document}`);
  app.toast('info', bt(app.lang, 'docs.preparing', { name }));
  app.render();
  try {
    const result = await downloadDocument({
      masterplan: app.masterplan,
      document,
      format,
      lang: app.lang,
      token: app.token,
      at: app.history?.version,
    });
    if (result.ok) app.toast('ok', bt(app.lang, 'docs.done', { file: result.fileName, size: sizeText(result.bytes, app) }));
    else app.toast('error', bt(app.lang, 'docs.failed', { name, message: result.message }));
  } finally {
    busy.delete(key);
    app.render();
  }
}

function documentsCard(app: App): TemplateResult {
  const version = app.history?.version ?? app.state?.version ?? 0;
  return html`<section class="card bimtek-documents" data-testid="bimtek-documents">
    <div class="card-head">
      <h2>${bt(app.lang, 'docs.title')}</h2>
      <span class="muted small">${bt(app.lang, 'docs.atVersion', { version })}</span>
    </div>
    <p class="muted small">${bt(app.lang, 'docs.hint')}</p>
    <ul class="bimtek-doc-list">
      ${DOCUMENTS.map(
        (d) => html`<li>
          <span class="bimtek-doc-name">${bt(app.lang, `docs.${d}`)}</span>
          <span class="bimtek-doc-actions">
            <button class="btn small primary" data-download=${`${d}/pdf`} ?disabled=${busy.has(`${d}/pdf`)} @click=${() => void download(app, d, 'pdf')}>
              ${bt(app.lang, 'docs.pdf')}
            </button>
            <button class="btn small" data-download=${`${d}/html`} ?disabled=${busy.has(`${d}/html`)} @click=${() => void download(app, d, 'html')}>
              ${bt(app.lang, 'docs.html')}
            </button>
          </span>
        </li>`,
      )}
    </ul>
  </section>`;
}

function stageState(stage: StageInfo, current: number): 'closed' | 'current' | 'open' {
  if (stage.closed) return 'closed';
  return stage.number === current ? 'current' : 'open';
}

function timeline(app: App, stages: StageInfo[], current: number): TemplateResult {
  return html`<ol class="bimtek-timeline" data-testid="bimtek-timeline">
    ${stages.map((s) => {
      const st = stageState(s, current);
      return html`<li class="bimtek-stage ${st}" data-stage=${s.number} data-state=${st}>
        <span class="bimtek-dot">${st === 'closed' ? '✓' : ROMAN[s.number]}</span>
        <span class="bimtek-stage-name">${bt(app.lang, 'stages.stage', { n: ROMAN[s.number] })}</span>
        <span class="muted small">${bt(app.lang, `stage.${s.number}` as 'stage.1')}</span>
        <span class="muted small">${s.heldDate || s.scheduledDate || ''} · ${bt(app.lang, `stages.${st}`)}</span>
      </li>`;
    })}
  </ol>`;
}

function scheduleCard(app: App, s: StageInfo): TemplateResult {
  const opdName = (id: string) => app.state?.opds.find((o) => o.opdId === id)?.shortName || app.state?.opds.find((o) => o.opdId === id)?.name || id;
  const none = bt(app.lang, 'schedule.none');
  const row = (label: string, value: string | TemplateResult) => html`<tr><th>${label}</th><td>${value}</td></tr>`;
  return html`<section class="card" data-testid="bimtek-schedule">
    <div class="card-head"><h2>${bt(app.lang, 'schedule.title')}</h2></div>
    <table class="grid kv">
      <tbody>
        ${row(bt(app.lang, 'schedule.scheduled'), s.scheduledDate || none)}
        ${row(bt(app.lang, 'schedule.held'), s.heldDate || none)}
        ${row(bt(app.lang, 'schedule.place'), s.place || none)}
        ${row(bt(app.lang, 'schedule.online'), s.onlineLink ? html`<a href=${s.onlineLink} target="_blank" rel="noopener">${s.onlineLink}</a>` : none)}
        ${row(bt(app.lang, 'schedule.experts'), s.experts.length ? s.experts.join(', ') : none)}
        ${row(bt(app.lang, 'schedule.members'), s.membersPresent.length ? s.membersPresent.map((u) => app.memberName(u)).join(', ') : none)}
        ${row(bt(app.lang, 'schedule.opds'), s.opdsPresent.length ? s.opdsPresent.map(opdName).join(', ') : none)}
      </tbody>
    </table>
    <h3>${bt(app.lang, 'notes.title')}</h3>
    ${s.notes ? html`<p class="bimtek-notes">${s.notes}</p>` : html`<p class="muted">${bt(app.lang, 'notes.empty')}</p>`}
  </section>`;
}

export function bimtekView(app: App): TemplateResult {
  const track = bimtekOf(app.state);
  const current = track.current >= 1 && track.current <= 4 ? track.stages[track.current - 1] : null;
  return html`<div class="bimtek">
    <section class="card">
      <div class="card-head"><h2>${bt(app.lang, 'stages.title')}</h2></div>
      ${timeline(app, track.stages, track.current)}
    </section>
    ${current
      ? html`${scheduleCard(app, current)} ${stageForms(app, current)}
          <section class="card" data-testid="bimtek-close">${closeCard(app, current.number)}</section>`
      : nothing}
    ${documentsCard(app)}
  </div>`;
}
