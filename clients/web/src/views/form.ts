// The program form, in a side drawer: every field is live (each change is one command),
// with presence and rejections per field. A new program is typed locally, then AddProgram.
import { html, nothing, type TemplateResult } from 'lit-html';
import { BUDGET_SOURCES, type Program } from '@rembuk/client';
import type { App } from '../app';
import { commentButton } from './comments';
import { touches } from '../diff';
import { checkField, fieldError, initials, selectField, textArea, textField, userColor, watchers } from '../fields';
import { narrativeField } from '../text/narrative';
import { formatNumber, formatRupiah, parseDecimal, parseRupiah } from '../format';
import { yearsCommit } from './programs';

function years(p: Program): number[] {
  const out: number[] = [];
  for (let y = p.startYear; y <= p.endYear && out.length < 20; y += 1) out.push(y);
  return out;
}

function budgetGrid(app: App, p: Program, canEdit: boolean): TemplateResult {
  const entity = `program/${p.programId}`;
  const ys = years(p);
  const amount = (y: number, s: string) => p.budget.find((l) => l.year === y && l.source === s)?.amount;
  const colTotal = (s: string) => p.budget.filter((l) => l.source === s).reduce((a, l) => a + l.amount, 0);
  const rowTotal = (y: number) => p.budget.filter((l) => l.year === y).reduce((a, l) => a + l.amount, 0);
  const grand = p.budget.reduce((a, l) => a + l.amount, 0);
  // Lines outside the program's years (possible after a period change) are listed too.
  return html`<div class="budget-grid-wrap">
    <table class="budget-grid">
      <colgroup><col class="c-year" />${BUDGET_SOURCES.map(() => html`<col />`)}<col class="c-total" /></colgroup>
      <thead>
        <tr>
          <th></th>
          ${BUDGET_SOURCES.map((s) => html`<th>${app.t(`source.${s}`)}</th>`)}
          <th>${app.t('form.budgetTotal')}</th>
        </tr>
      </thead>
      <tbody>
        ${ys.map(
          (y) => html`<tr>
            <th>${y}</th>
            ${BUDGET_SOURCES.map((s) => {
              const key = `${entity}/budget/${y}/${s}`;
              const current = amount(y, s);
              return html`<td>
                ${textField(app, {
                  key,
                  focus: { entity, field: `budget/${y}/${s}` },
                  value: current === undefined ? '' : formatNumber(current, app.lang),
                  disabled: !canEdit,
                  inputClass: 'input cell money',
                  ariaLabel: `budget ${y} ${s}`,
                  placeholder: '',
                  commit: (v) => {
                    if (v.trim() === '') {
                      return current === undefined ? null : { type: 'RemoveProgramBudget', programId: p.programId, year: y, source: s };
                    }
                    const n = parseRupiah(v);
                    if (n === null || n === current) return null;
                    return { type: 'SetProgramBudget', programId: p.programId, year: y, source: s, amount: n };
                  },
                })}
              </td>`;
            })}
            <td class="num total">${formatNumber(rowTotal(y), app.lang)}</td>
          </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th>${app.t('form.budgetTotal')}</th>
          ${BUDGET_SOURCES.map((s) => html`<td class="num total">${formatNumber(colTotal(s), app.lang)}</td>`)}
          <td class="num total grand">${formatRupiah(grand, app.lang)}</td>
        </tr>
      </tfoot>
    </table>
  </div>`;
}

let newIndicator = { name: '', unit: '' };

function indicators(app: App, p: Program, canEdit: boolean): TemplateResult {
  const entity = `program/${p.programId}`;
  const ys = years(p);
  return html`<div class="indicators">
    ${p.indicators.length === 0 ? html`<p class="muted small warn-text">${app.t('form.noIndicators')}</p>` : nothing}
    ${p.indicators.map((ind) => {
      const ik = `${entity}/indicator/${ind.indicatorId}`;
      const target = (y: number) => ind.targets.find((t) => t.year === y)?.value;
      return html`<div class="indicator ${app.history && touches(app.history.changed, ik) ? 'changed' : ''}">
        <div class="indicator-head">
          ${textField(app, {
            key: `${ik}/name`,
            focus: { entity, field: `indicator/${ind.indicatorId}/name` },
            value: ind.name,
            disabled: !canEdit,
            className: 'grow',
            ariaLabel: app.t('form.indicatorName'),
            commit: (v) => (v.trim() && v.trim() !== ind.name ? { type: 'UpdateIndicator', programId: p.programId, indicatorId: ind.indicatorId, name: v.trim() } : null),
          })}
          ${textField(app, {
            key: `${ik}/unit`,
            focus: { entity, field: `indicator/${ind.indicatorId}/unit` },
            value: ind.unit,
            disabled: !canEdit,
            className: 'unit',
            ariaLabel: app.t('form.unit'),
            commit: (v) => (v.trim() !== ind.unit ? { type: 'UpdateIndicator', programId: p.programId, indicatorId: ind.indicatorId, unit: v.trim() } : null),
          })}
          <span class="muted small baseline">${app.t('form.baseline')}: ${ind.baseline ? `${formatNumber(ind.baseline.value, app.lang, 2)}${ind.baseline.year ? ` (${ind.baseline.year})` : ''}` : '—'}</span>
          ${canEdit && app.editable
            ? html`<button class="btn small ghost danger" title=${app.t('form.removeIndicator')} @click=${() => void app.submit({ type: 'RemoveIndicator', programId: p.programId, indicatorId: ind.indicatorId })}>✕</button>`
            : nothing}
        </div>
        <div class="targets">
          ${ys.map((y) => {
            const key = `${ik}/target/${y}`;
            const cur = target(y);
            return html`<div class="target">
              <div class="target-year">${y}</div>
              ${textField(app, {
                key,
                focus: { entity, field: `indicator/${ind.indicatorId}/target/${y}` },
                value: cur === undefined ? '' : formatNumber(cur, app.lang, 4),
                disabled: !canEdit,
                inputClass: 'input cell target-input',
                ariaLabel: `target ${y}`,
                placeholder: '—',
                commit: (v) => {
                  if (v.trim() === '') return cur === undefined ? null : { type: 'RemoveIndicatorTarget', programId: p.programId, indicatorId: ind.indicatorId, year: y };
                  const n = parseDecimal(v, app.lang);
                  if (n === null || n === cur) return null;
                  return { type: 'SetIndicatorTarget', programId: p.programId, indicatorId: ind.indicatorId, year: y, value: n };
                },
              })}
            </div>`;
          })}
        </div>
      </div>`;
    })}
    ${canEdit && app.editable
      ? html`<form
          class="add-indicator"
          @submit=${(e: Event) => {
            e.preventDefault();
            if (!newIndicator.name.trim()) return;
            const indicatorId = `i-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
            void app.submit({ type: 'AddIndicator', programId: p.programId, indicatorId, name: newIndicator.name.trim(), unit: newIndicator.unit.trim() });
            newIndicator = { name: '', unit: '' };
            (e.target as HTMLFormElement).reset();
          }}
        >
          <input class="input grow" placeholder=${app.t('form.indicatorName')} @input=${(e: Event) => (newIndicator.name = (e.target as HTMLInputElement).value)} />
          <input class="input unit" placeholder=${app.t('form.unit')} @input=${(e: Event) => (newIndicator.unit = (e.target as HTMLInputElement).value)} />
          <button class="btn small" type="submit">+ ${app.t('form.addIndicator')}</button>
        </form>`
      : nothing}
  </div>`;
}

function supporting(app: App, p: Program, canEdit: boolean): TemplateResult {
  const entity = `program/${p.programId}`;
  const opds = (app.state?.opds ?? []).filter((o) => o.opdId !== p.leadOpd && (!o.retired || p.supportingOpds.includes(o.opdId)));
  return html`<div class="chips">
    ${opds.map((o) => {
      const key = `${entity}/supportingOpds/${o.opdId}`;
      const on = p.supportingOpds.includes(o.opdId);
      return html`<label class="chip ${on ? 'on' : ''} ${app.history && touches(app.history.changed, key) ? 'changed' : ''}" title=${o.name}>
        <input
          type="checkbox"
          data-field=${key}
          .checked=${on}
          ?disabled=${!canEdit || !app.editable || (o.retired && !on)}
          @change=${(e: Event) => {
            const checked = (e.target as HTMLInputElement).checked;
            void app.submit({ type: checked ? 'AddSupportingOpd' : 'RemoveSupportingOpd', programId: p.programId, opdId: o.opdId }, key);
          }}
        />${o.shortName || o.name}
        ${fieldError(app, key)}
      </label>`;
    })}
  </div>`;
}

function lines(v: string): string[] {
  return v
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
}

function existingForm(app: App, p: Program): TemplateResult {
  const perms = app.permissions;
  const canEdit = perms.canEditProgram(p);
  const entity = `program/${p.programId}`;
  const pillar = app.pillars.find((d) => d.id === p.dimension);
  const others = app.othersAt(entity);
  const s = app.state!;
  return html`<div class="drawer-head">
      <div>
        <div class="eyebrow" style="color:${pillar?.color ?? 'inherit'}">${pillar ? (app.lang === 'id' ? pillar.id_name : pillar.en_name) : p.dimension}</div>
        <h2 class="drawer-title">${p.title}</h2>
        <div class="muted small">${p.programId}${p.quickWin ? html` · <span class="badge qw">Quick win</span>` : nothing}</div>
      </div>
      <div class="drawer-people" data-testid="drawer-people">
        ${others.map((o) => html`<span class="avatar sm" data-user=${o.user} style="--c:${userColor(o.user)}" title=${app.memberName(o.user)}>${initials(app.memberName(o.user))}</span>`)}
      </div>
      ${commentButton(app, entity)}
      <button class="btn ghost" data-testid="close-drawer" @click=${() => app.closeDrawer()}>✕</button>
    </div>
    ${!canEdit ? html`<div class="notice">${app.t('form.readonly')}</div>` : nothing}
    <div class="form-grid">
      ${textField(app, {
        key: `${entity}/title`,
        focus: { entity, field: 'title' },
        value: p.title,
        label: app.t('form.title'),
        disabled: !canEdit,
        className: 'span2',
        commit: (v) => (v.trim() && v.trim() !== p.title ? { type: 'UpdateProgram', programId: p.programId, title: v.trim() } : null),
      })}
      ${narrativeField(app, {
        key: `${entity}/description`,
        focus: { entity, field: 'description' },
        value: p.description,
        label: app.t('form.description'),
        disabled: !canEdit,
        className: 'span2',
      })}
      ${selectField(app, {
        key: `${entity}/dimension`,
        focus: { entity, field: 'dimension' },
        value: p.dimension,
        label: app.t('form.dimension'),
        disabled: !canEdit,
        options: app.pillars.map((d) => ({ value: d.id, label: app.lang === 'id' ? d.id_name : d.en_name })),
        commit: (v) => {
          if (v === p.dimension) return null;
          const first = app.pillars.find((d) => d.id === v)?.elements[0]?.id;
          return first ? { type: 'UpdateProgram', programId: p.programId, dimension: v, element: first } : null;
        },
      })}
      ${selectField(app, {
        key: `${entity}/element`,
        focus: { entity, field: 'element' },
        value: p.element,
        label: app.t('form.element'),
        disabled: !canEdit,
        options: (pillar?.elements ?? []).map((e) => ({ value: e.id, label: app.lang === 'id' ? e.id_name : e.en_name })),
        commit: (v) => (v !== p.element ? { type: 'UpdateProgram', programId: p.programId, element: v } : null),
      })}
      ${selectField(app, {
        key: `${entity}/leadOpd`,
        focus: { entity, field: 'leadOpd' },
        value: p.leadOpd ?? '',
        label: app.t('form.lead'),
        disabled: !perms.canChangeLead,
        options: s.opds.map((o) => ({ value: o.opdId, label: o.name, disabled: o.retired })),
        commit: (v) => (v && v !== p.leadOpd ? { type: 'SetProgramLeadOpd', programId: p.programId, leadOpd: v } : null),
      })}
      <div class="field-row">
        <div class="years-pair">
          ${textField(app, {
            key: `${entity}/years`,
            focus: { entity, field: 'years' },
            value: p.startYear,
            type: 'number',
            label: `${app.t('form.years')} · ${app.t('form.startYear')}`,
            disabled: !canEdit,
            commit: yearsCommit(p, 'start'),
          })}
          ${textField(app, {
            key: `${entity}/years#end`,
            focus: { entity, field: 'years' },
            value: p.endYear,
            type: 'number',
            label: app.t('form.endYear'),
            disabled: !canEdit,
            commit: yearsCommit(p, 'end'),
          })}
        </div>
      </div>
      ${checkField(app, {
        key: `${entity}/quickWin`,
        focus: { entity, field: 'quickWin' },
        value: p.quickWin,
        label: app.t('form.quickWin'),
        disabled: !canEdit,
        className: 'span2 check',
        commit: (v) => ({ type: 'SetQuickWin', programId: p.programId, quickWin: v === 'true' }),
      })}
      <div class="span2">
        <div class="field-label">${app.t('form.supporting')} ${watchers(app, { entity, field: 'supportingOpds' })}</div>
        ${supporting(app, p, canEdit)}
      </div>
    </div>
    <h3 class="form-section">${app.t('form.budget')}</h3>
    ${budgetGrid(app, p, canEdit)}
    <h3 class="form-section">${app.t('form.indicators')}</h3>
    ${indicators(app, p, canEdit)}
    <div class="form-grid outputs">
      ${textArea(app, {
        key: `${entity}/outputs`,
        focus: { entity, field: 'outputs' },
        value: p.outputs.join('\n'),
        label: `${app.t('form.outputs')} (${app.t('form.onePerLine')})`,
        disabled: !canEdit,
        commit: (v) => (lines(v).join('\n') !== p.outputs.join('\n') ? { type: 'UpdateProgram', programId: p.programId, outputs: lines(v) } : null),
      })}
      ${textArea(app, {
        key: `${entity}/outcomes`,
        focus: { entity, field: 'outcomes' },
        value: p.outcomes.join('\n'),
        label: `${app.t('form.outcomes')} (${app.t('form.onePerLine')})`,
        disabled: !canEdit,
        commit: (v) => (lines(v).join('\n') !== p.outcomes.join('\n') ? { type: 'UpdateProgram', programId: p.programId, outcomes: lines(v) } : null),
      })}
    </div>
    ${canEdit && app.editable
      ? html`<div class="drawer-foot">
          <button
            class="btn danger"
            @click=${() => {
              if (confirm(app.t('form.removeConfirm', { title: p.title }))) {
                void app.submit({ type: 'RemoveProgram', programId: p.programId });
                app.closeDrawer();
              }
            }}
          >
            ${app.t('form.remove')}
          </button>
        </div>`
      : nothing}`;
}

const draft = { title: '', dimension: 'governance', element: '', leadOpd: '', startYear: 0, endYear: 0, quickWin: false };

function newForm(app: App): TemplateResult {
  const s = app.state!;
  const perms = app.permissions;
  if (!draft.startYear) {
    draft.startYear = s.startYear;
    draft.endYear = Math.min(s.endYear, s.startYear + 1);
  }
  if (!perms.canChangeLead && perms.opd) draft.leadOpd = perms.opd;
  const pillar = app.pillars.find((d) => d.id === draft.dimension) ?? app.pillars[0];
  if (!pillar.elements.some((e) => e.id === draft.element)) draft.element = pillar.elements[0]?.id ?? '';
  const set = (k: keyof typeof draft) => (e: Event) => {
    const t = e.target as HTMLInputElement;
    (draft as Record<string, unknown>)[k] = t.type === 'checkbox' ? t.checked : t.type === 'number' ? Number(t.value) : t.value;
    app.render();
  };
  return html`<div class="drawer-head">
      <div><h2 class="drawer-title">${app.t('form.newTitle')}</h2></div>
      <button class="btn ghost" @click=${() => app.closeDrawer()}>✕</button>
    </div>
    <form
      class="form-grid"
      data-testid="new-program"
      @submit=${async (e: Event) => {
        e.preventDefault();
        if (!draft.title.trim() || !draft.leadOpd) return;
        const slug = draft.title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'program';
        const programId = `p-${slug}-${Math.floor(Math.random() * 46656).toString(36)}`;
        const ok = await app.submit({
          type: 'AddProgram',
          programId,
          title: draft.title.trim(),
          dimension: draft.dimension,
          element: draft.element,
          leadOpd: draft.leadOpd,
          startYear: draft.startYear,
          endYear: draft.endYear,
          quickWin: draft.quickWin,
        });
        if (ok) {
          draft.title = '';
          app.openProgram(programId);
        }
      }}
    >
      <div class="field span2"><label class="field-label">${app.t('form.title')}</label><input class="input" name="title" required .value=${draft.title} @input=${set('title')} /></div>
      <div class="field">
        <label class="field-label">${app.t('form.dimension')}</label>
        <select class="input" @change=${set('dimension')}>
          ${app.pillars.map((d) => html`<option value=${d.id} ?selected=${d.id === draft.dimension}>${app.lang === 'id' ? d.id_name : d.en_name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label class="field-label">${app.t('form.element')}</label>
        <select class="input" @change=${set('element')}>
          ${pillar.elements.map((el) => html`<option value=${el.id} ?selected=${el.id === draft.element}>${app.lang === 'id' ? el.id_name : el.en_name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label class="field-label">${app.t('form.lead')}</label>
        <select class="input" required ?disabled=${!perms.canChangeLead && !!perms.opd} @change=${set('leadOpd')}>
          <option value="" ?selected=${!draft.leadOpd}>—</option>
          ${s.opds.filter((o) => !o.retired).map((o) => html`<option value=${o.opdId} ?selected=${o.opdId === draft.leadOpd}>${o.name}</option>`)}
        </select>
      </div>
      <div class="field years-pair">
        <div><label class="field-label">${app.t('form.startYear')}</label><input class="input" type="number" .value=${String(draft.startYear)} @input=${set('startYear')} /></div>
        <div><label class="field-label">${app.t('form.endYear')}</label><input class="input" type="number" .value=${String(draft.endYear)} @input=${set('endYear')} /></div>
      </div>
      <label class="check-label span2"><input type="checkbox" .checked=${draft.quickWin} @change=${set('quickWin')} /> ${app.t('form.quickWin')}</label>
      ${fieldError(app, 'program/new')}
      <div class="span2 drawer-foot">
        <button class="btn" type="button" @click=${() => app.closeDrawer()}>${app.t('form.cancel')}</button>
        <button class="btn primary" type="submit">${app.t('form.create')}</button>
      </div>
    </form>`;
}

export function programDrawer(app: App): TemplateResult | typeof nothing {
  const s = app.state;
  if (!s) return nothing;
  if (app.creatingProgram) {
    return html`<div class="drawer-backdrop" @click=${() => app.closeDrawer()}></div><aside class="drawer" data-testid="drawer">${newForm(app)}</aside>`;
  }
  if (!app.selectedProgram) return nothing;
  const p = s.programs.find((x) => x.programId === app.selectedProgram);
  if (!p) return nothing;
  return html`<div class="drawer-backdrop" @click=${() => app.closeDrawer()}></div>
    <aside class="drawer" data-testid="drawer" data-program=${p.programId}>${existingForm(app, p)}</aside>`;
}
