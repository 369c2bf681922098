// The masterplan at a glance: identity, vision and missions, key numbers, and the six
// dimensions plus plugin pillars, each with its elements and their programs.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app';
import { touches } from '../diff';
import { initials, userColor } from '../fields';
import { narrativeField } from '../text/narrative';
import { formatRupiahShort } from '../format';
import type { Program } from '@rembuk/client';

export function programTotal(p: Program): number {
  return p.budget.reduce((sum, l) => sum + l.amount, 0);
}

export function opdShort(app: App, id: string | null): string {
  if (!id) return '—';
  const o = app.state?.opds.find((x) => x.opdId === id);
  return o?.shortName || o?.name || id;
}

function programChip(app: App, p: Program): TemplateResult {
  const changed = app.history !== null && touches(app.history.changed, `program/${p.programId}`);
  const others = app.othersAt(`program/${p.programId}`);
  return html`<li class="prog-chip ${changed ? 'changed' : ''}" data-program=${p.programId} @click=${() => app.openProgram(p.programId)}>
    <span class="prog-chip-title">${p.title}</span>
    <span class="badges">
      ${p.quickWin ? html`<span class="badge qw">Quick win</span>` : nothing}
      ${others.map((o) => html`<span class="avatar xs" style="--c:${userColor(o.user)}" title=${app.memberName(o.user)}>${initials(app.memberName(o.user))}</span>`)}
    </span>
    <span class="prog-chip-meta">${opdShort(app, p.leadOpd)} · ${p.startYear}–${p.endYear}</span>
  </li>`;
}

export function overviewView(app: App): TemplateResult {
  const s = app.state!;
  const perms = app.permissions;
  const total = s.programs.reduce((sum, p) => sum + programTotal(p), 0);
  const opds = new Set(s.programs.flatMap((p) => [p.leadOpd, ...p.supportingOpds]).filter(Boolean));
  return html`<div class="overview">
    <section class="card identity">
      <div class="identity-grid">
        <div>
          <div class="eyebrow">${app.t('overview.identity')}</div>
          <h1 class="city">${s.cityName}</h1>
          <div class="muted">
            ${app.t('overview.region')}: ${s.regionCode} · ${app.t('header.period', { start: s.startYear, end: s.endYear })}
            ${s.rpjmd ? html` · ${app.t('overview.rpjmd')}: ${s.rpjmd.title}` : nothing}
          </div>
        </div>
        <div class="stats">
          <div class="stat"><div class="stat-value">${s.programs.length}</div><div class="stat-label">${app.t('overview.stats.programs')}</div></div>
          <div class="stat"><div class="stat-value">${s.programs.filter((p) => p.quickWin).length}</div><div class="stat-label">${app.t('overview.stats.quickWins')}</div></div>
          <div class="stat"><div class="stat-value">${formatRupiahShort(total, app.lang)}</div><div class="stat-label">${app.t('overview.stats.budget')}</div></div>
          <div class="stat"><div class="stat-value">${opds.size}</div><div class="stat-label">${app.t('overview.stats.opds')}</div></div>
        </div>
      </div>
      <div class="vision-grid">
        <div>
          <div class="eyebrow">${app.t('overview.vision')}</div>
          ${narrativeField(app, {
            key: 'masterplan/vision',
            focus: { entity: 'masterplan', field: 'vision' },
            value: s.vision,
            rows: 2,
            className: 'vision',
            placeholder: app.t('overview.visionEmpty'),
            disabled: !perms.canEditMasterplan,
          })}
        </div>
        <div>
          <div class="eyebrow">${app.t('overview.missions')}</div>
          <ol class="missions ${app.history && touches(app.history.changed, 'masterplan/missions') ? 'changed' : ''}">
            ${s.missions.map((m) => html`<li>${m.text}</li>`)}
          </ol>
        </div>
      </div>
    </section>

    <h2 class="section-title">${app.t('overview.dimensions')}</h2>
    <div class="dimension-grid">
      ${app.pillars.map((d) => {
        const programs = s.programs.filter((p) => p.dimension === d.id);
        const budget = programs.reduce((sum, p) => sum + programTotal(p), 0);
        const name = app.lang === 'id' ? d.id_name : d.en_name;
        return html`<section class="card dimension" data-dimension=${d.id} style="--dc:${d.color}">
          <header class="dimension-head">
            <div>
              <div class="dimension-name">${name}</div>
              ${d.plugin
                ? html`<div class="muted small">${d.plugin === '?' ? app.t('overview.pillar') : app.t('overview.pillarPlugin', { plugin: d.plugin })}</div>`
                : nothing}
            </div>
            <div class="dimension-nums">
              <span>${app.t('overview.programs', { count: programs.length })}</span>
              <span class="muted">${formatRupiahShort(budget, app.lang)}</span>
            </div>
          </header>
          ${d.elements.map((e) => {
            const inElement = programs.filter((p) => p.element === e.id);
            return html`<div class="element">
              <div class="element-name">${app.lang === 'id' ? e.id_name : e.en_name}</div>
              ${inElement.length === 0
                ? html`<div class="muted small empty-el">${app.t('overview.noPrograms')}</div>`
                : html`<ul class="prog-chips">${inElement.map((p) => programChip(app, p))}</ul>`}
            </div>`;
          })}
        </section>`;
      })}
    </div>
  </div>`;
}
