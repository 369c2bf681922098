// The programs table: inline editing of title, lead OPD, years and the quick-win flag;
// a row opens the full form. Rows are keyed by program id (lit's repeat) so live updates
// patch cells in place: no layout jump, no lost caret.
import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { Program } from '@rembuk/client';
import type { App } from '../app';
import { touches } from '../diff';
import { checkField, initials, selectField, textArea, textField, userColor } from '../fields';
import { formatRupiahShort } from '../format';
import { programTotal } from './overview';

export function yearsCommit(p: Program, which: 'start' | 'end') {
  return (v: string) => {
    const year = Number(v);
    if (!Number.isInteger(year)) return null;
    const startYear = which === 'start' ? year : p.startYear;
    const endYear = which === 'end' ? year : p.endYear;
    if (startYear === p.startYear && endYear === p.endYear) return null;
    return { type: 'SetProgramYears' as const, programId: p.programId, startYear, endYear };
  };
}

function row(app: App, p: Program, index: number): TemplateResult {
  const perms = app.permissions;
  const canEdit = perms.canEditProgram(p);
  const entity = `program/${p.programId}`;
  const pillar = app.pillars.find((d) => d.id === p.dimension);
  const element = pillar?.elements.find((e) => e.id === p.element);
  const others = app.othersAt(entity);
  const changed = app.history !== null && touches(app.history.changed, entity);
  const opds = (app.state?.opds ?? []).filter((o) => !o.retired || o.opdId === p.leadOpd);
  return html`<tr class="${changed ? 'changed-row' : ''} ${others.length ? 'watched-row' : ''}" data-program=${p.programId}>
    <td class="num">${index + 1}</td>
    <td class="col-title">
      ${textArea(app, {
        key: `${entity}/title`,
        focus: { entity, field: 'title' },
        value: p.title,
        disabled: !canEdit,
        ariaLabel: 'title',
        rows: 2,
        enterCommits: true,
        inputClass: 'input cell title-cell',
        commit: (v) => (v.trim() && v.trim() !== p.title ? { type: 'UpdateProgram', programId: p.programId, title: v.trim() } : null),
      })}
    </td>
    <td class="col-dim">
      <div class="dim-line">
        <span class="dot" style="--dc:${pillar?.color ?? '#64748b'}"></span>
        <span class="dim-name">${pillar ? (app.lang === 'id' ? pillar.id_name : pillar.en_name) : p.dimension}</span>
      </div>
      <div class="muted small">${element ? (app.lang === 'id' ? element.id_name : element.en_name) : p.element}</div>
    </td>
    <td class="col-lead" data-label=${app.t('col.lead')}>
      ${selectField(app, {
        key: `${entity}/leadOpd`,
        focus: { entity, field: 'leadOpd' },
        value: p.leadOpd ?? '',
        disabled: !perms.canChangeLead,
        ariaLabel: 'leadOpd',
        options: opds.map((o) => ({ value: o.opdId, label: o.shortName || o.name, disabled: o.retired })),
        commit: (v) => (v && v !== p.leadOpd ? { type: 'SetProgramLeadOpd', programId: p.programId, leadOpd: v } : null),
      })}
    </td>
    <td class="col-years" data-label=${app.t('col.years')}>
      <div class="years">
        ${textField(app, {
          key: `${entity}/years`,
          focus: { entity, field: 'years' },
          value: p.startYear,
          type: 'number',
          disabled: !canEdit,
          ariaLabel: 'startYear',
          inputClass: 'input cell year',
          commit: yearsCommit(p, 'start'),
        })}
        <span class="dash">–</span>
        ${textField(app, {
          key: `${entity}/years#end`,
          focus: { entity, field: 'years' },
          value: p.endYear,
          type: 'number',
          disabled: !canEdit,
          ariaLabel: 'endYear',
          inputClass: 'input cell year',
          commit: yearsCommit(p, 'end'),
        })}
      </div>
    </td>
    <td class="col-qw" data-label=${app.t('col.quickWin')}>
      ${checkField(app, {
        key: `${entity}/quickWin`,
        focus: { entity, field: 'quickWin' },
        value: p.quickWin,
        disabled: !canEdit,
        ariaLabel: 'quickWin',
        commit: (v) => ({ type: 'SetQuickWin', programId: p.programId, quickWin: v === 'true' }),
      })}
    </td>
    <td data-label=${app.t('col.budget')} class="col-budget num ${app.history && touches(app.history.changed, `${entity}/budget`) ? 'changed' : ''}">
      ${formatRupiahShort(programTotal(p), app.lang)}
    </td>
    <td data-label=${app.t('col.indicators')} class="col-ind num ${p.indicators.length === 0 ? 'warn' : ''}">${p.indicators.length}</td>
    <td class="col-act">
      <span class="row-watchers">
        ${others.map((o) => html`<span class="avatar xs" style="--c:${userColor(o.user)}" title=${app.memberName(o.user)}>${initials(app.memberName(o.user))}</span>`)}
      </span>
      <button class="btn small ghost" data-open=${p.programId} @click=${() => app.openProgram(p.programId)}>${app.t('form.open')}</button>
    </td>
  </tr>`;
}

export function programsView(app: App): TemplateResult {
  const s = app.state!;
  const text = app.filter.text.toLowerCase();
  const shown = s.programs.filter((p) => {
    if (app.filter.dimension && p.dimension !== app.filter.dimension) return false;
    if (!text) return true;
    const lead = s.opds.find((o) => o.opdId === p.leadOpd);
    return `${p.title} ${p.description} ${lead?.name ?? ''} ${lead?.shortName ?? ''}`.toLowerCase().includes(text);
  });
  const pillarOrder = app.pillars.map((d) => d.id);
  shown.sort((a, b) => pillarOrder.indexOf(a.dimension) - pillarOrder.indexOf(b.dimension) || a.startYear - b.startYear || a.title.localeCompare(b.title));
  return html`<div class="programs">
    <div class="toolbar">
      <input
        class="input search"
        type="search"
        placeholder=${app.t('programs.search')}
        .value=${app.filter.text}
        @input=${(e: Event) => {
          app.filter.text = (e.target as HTMLInputElement).value;
          app.render();
        }}
      />
      <select
        class="input"
        @change=${(e: Event) => {
          app.filter.dimension = (e.target as HTMLSelectElement).value;
          app.render();
        }}
      >
        <option value="">${app.t('programs.allDimensions')}</option>
        ${app.pillars.map((d) => html`<option value=${d.id} ?selected=${app.filter.dimension === d.id}>${app.lang === 'id' ? d.id_name : d.en_name}</option>`)}
      </select>
      <span class="muted small">${app.t('programs.count', { shown: shown.length, total: s.programs.length })}</span>
      <div class="spacer"></div>
      ${app.permissions.canAddProgram && app.editable
        ? html`<button class="btn primary" data-testid="add-program" @click=${() => app.newProgram()}>+ ${app.t('programs.add')}</button>`
        : nothing}
    </div>
    <div class="card table-card">
      <table class="grid" data-testid="programs-table">
        <colgroup>
          <col style="width:36px" /><col /><col style="width:158px" /><col style="width:136px" /><col style="width:132px" />
          <col style="width:58px" /><col style="width:96px" /><col style="width:52px" /><col style="width:76px" />
        </colgroup>
        <thead>
          <tr>
            <th>#</th><th>${app.t('col.title')}</th><th>${app.t('col.dimension')}</th><th>${app.t('col.lead')}</th>
            <th>${app.t('col.years')}</th><th title=${app.t('col.quickWin')}>QW</th><th class="num">${app.t('col.budget')}</th>
            <th class="num" title=${app.t('col.indicators')}>${app.t('col.indicatorsShort')}</th><th></th>
          </tr>
        </thead>
        <tbody>
          ${repeat(shown, (p) => p.programId, (p, i) => row(app, p, i))}
        </tbody>
      </table>
      ${shown.length === 0 ? html`<div class="empty">${app.t('programs.empty')}</div>` : nothing}
    </div>
  </div>`;
}
