// The masterplan's own chapters: identity, period and RPJMD reference; vision and missions;
// strategic issues per dimension or pillar; the readiness analysis (struktur, infrastruktur,
// suprastruktur). Every field is live (one command per change; the narrative texts by text
// operations as they are typed, text/narrative.ts); each thing has its comments.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { MasterplanState, ReadinessEntry, RpjmdReference } from '@rembuk/client';
import type { App } from '../app';
import { touches } from '../diff';
import { fieldError, textArea, textField } from '../fields';
import { invalid, newId, onFormSubmit, refuseField, requireText, wholeNumber, type Errors } from '../forms';
import { narrativeField } from '../text/narrative';
import { commentButton } from './comments';

const AXES = ['struktur', 'infrastruktur', 'suprastruktur'] as const;
const REGION_CODE = /^[0-9]+(\.[0-9]+)*$/;

function sectionHead(app: App, title: string, target: string, extra?: TemplateResult): TemplateResult {
  return html`<div class="card-head"><h2>${title}</h2><div class="head-actions">${extra ?? nothing}${commentButton(app, target)}</div></div>`;
}

function year(text: string): number | null {
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= 1900 && n <= 2200 ? n : null;
}

function identityCard(app: App, s: MasterplanState): TemplateResult {
  const can = app.permissions.canEditMasterplan;
  const r = s.rpjmd;
  const setRpjmd = (key: string, change: Partial<RpjmdReference>) => {
    const next = { title: r?.title ?? '', startYear: r?.startYear ?? 0, endYear: r?.endYear ?? 0, regulation: r?.regulation ?? null, ...change };
    if (!next.title.trim()) return refuseField(app, key, 'valid.rpjmdTitle');
    if (!next.startYear || !next.endYear) return refuseField(app, key, 'valid.rpjmdYears');
    if (next.startYear > next.endYear) return refuseField(app, key, 'valid.yearsReversed');
    const rpjmd: RpjmdReference = { title: next.title.trim(), startYear: next.startYear, endYear: next.endYear };
    if (next.regulation) rpjmd.regulation = next.regulation;
    return { type: 'SetRpjmdReference' as const, rpjmd };
  };
  const period = (key: string, start: number, end: number) => {
    if (start > end) return refuseField(app, key, 'valid.yearsReversed');
    const length = end - start + 1;
    if (length < 5 || length > 10) return refuseField(app, key, 'valid.periodLength', { length });
    return start === s.startYear && end === s.endYear ? null : { type: 'SetMasterplanPeriod' as const, startYear: start, endYear: end };
  };
  return html`<section class="card plan-identity" data-section="identity">
    ${sectionHead(app, app.t('plan.identity'), 'masterplan/identity')}
    <div class="form-grid three">
      ${textField(app, {
        key: 'masterplan/identity/cityName',
        focus: { entity: 'masterplan', field: 'identity' },
        value: s.cityName,
        label: app.t('plan.cityName'),
        disabled: !can,
        commit: (v) => {
          if (!v.trim()) return refuseField(app, 'masterplan/identity/cityName', 'valid.required');
          return v.trim() === s.cityName ? null : { type: 'SetMasterplanIdentity', cityName: v.trim(), regionCode: s.regionCode };
        },
      })}
      ${textField(app, {
        key: 'masterplan/identity/regionCode',
        focus: { entity: 'masterplan', field: 'identity' },
        value: s.regionCode,
        label: app.t('plan.regionCode'),
        disabled: !can,
        commit: (v) => {
          if (!REGION_CODE.test(v.trim())) return refuseField(app, 'masterplan/identity/regionCode', 'valid.regionCode');
          return v.trim() === s.regionCode ? null : { type: 'SetMasterplanIdentity', cityName: s.cityName, regionCode: v.trim() };
        },
      })}
      <div class="field">
        <div class="label-row"><label class="field-label">${app.t('plan.period')}</label>${commentButton(app, 'masterplan/period')}</div>
        <div class="years-pair">
          ${textField(app, {
            key: 'masterplan/period/start',
            focus: { entity: 'masterplan', field: 'period' },
            value: s.startYear,
            type: 'number',
            ariaLabel: app.t('form.startYear'),
            disabled: !can,
            commit: (v) => {
              const y = year(v);
              return y === null ? refuseField(app, 'masterplan/period/start', 'valid.year') : period('masterplan/period/start', y, s.endYear);
            },
          })}
          ${textField(app, {
            key: 'masterplan/period/end',
            focus: { entity: 'masterplan', field: 'period' },
            value: s.endYear,
            type: 'number',
            ariaLabel: app.t('form.endYear'),
            disabled: !can,
            commit: (v) => {
              const y = year(v);
              return y === null ? refuseField(app, 'masterplan/period/end', 'valid.year') : period('masterplan/period/end', s.startYear, y);
            },
          })}
        </div>
      </div>
    </div>
    <div class="subhead">
      <h3>${app.t('plan.rpjmd')}</h3>
      ${commentButton(app, 'masterplan/rpjmd')}
    </div>
    <div class="form-grid rpjmd ${app.history && touches(app.history.changed, 'masterplan/rpjmd') ? 'changed' : ''}">
      ${textField(app, {
        key: 'masterplan/rpjmd/title',
        focus: { entity: 'masterplan', field: 'rpjmd' },
        value: r?.title ?? '',
        label: app.t('plan.rpjmdTitle'),
        placeholder: app.t('plan.rpjmdNone'),
        disabled: !can,
        className: 'span2',
        commit: (v) => (v.trim() === (r?.title ?? '') ? null : setRpjmd('masterplan/rpjmd/title', { title: v })),
      })}
      <div class="field">
        <label class="field-label">${app.t('plan.rpjmdYears')}</label>
        <div class="years-pair">
          ${textField(app, {
            key: 'masterplan/rpjmd/start',
            focus: { entity: 'masterplan', field: 'rpjmd' },
            value: r?.startYear ?? '',
            type: 'number',
            ariaLabel: app.t('plan.rpjmdStart'),
            disabled: !can,
            commit: (v) => {
              const y = year(v);
              return y === null ? refuseField(app, 'masterplan/rpjmd/start', 'valid.year') : y === r?.startYear ? null : setRpjmd('masterplan/rpjmd/start', { startYear: y });
            },
          })}
          ${textField(app, {
            key: 'masterplan/rpjmd/end',
            focus: { entity: 'masterplan', field: 'rpjmd' },
            value: r?.endYear ?? '',
            type: 'number',
            ariaLabel: app.t('plan.rpjmdEnd'),
            disabled: !can,
            commit: (v) => {
              const y = year(v);
              return y === null ? refuseField(app, 'masterplan/rpjmd/end', 'valid.year') : y === r?.endYear ? null : setRpjmd('masterplan/rpjmd/end', { endYear: y });
            },
          })}
        </div>
      </div>
      ${textField(app, {
        key: 'masterplan/rpjmd/regulation',
        focus: { entity: 'masterplan', field: 'rpjmd' },
        value: r?.regulation ?? '',
        label: app.t('plan.rpjmdRegulation'),
        placeholder: app.t('plan.rpjmdRegulationHint'),
        disabled: !can,
        commit: (v) => (v.trim() === (r?.regulation ?? '') ? null : setRpjmd('masterplan/rpjmd/regulation', { regulation: v.trim() || null })),
      })}
    </div>
  </section>`;
}

function missionsCard(app: App, s: MasterplanState): TemplateResult {
  const can = app.permissions.canEditMasterplan;
  const form = 'new/mission';
  return html`<section class="card plan-vision" data-section="vision">
    ${sectionHead(app, app.t('overview.vision'), 'masterplan/vision')}
    ${narrativeField(app, {
      key: 'masterplan/vision',
      focus: { entity: 'masterplan', field: 'vision' },
      value: s.vision,
      rows: 2,
      className: 'vision',
      placeholder: app.t('overview.visionEmpty'),
      disabled: !can,
    })}
    <div class="subhead"><h3>${app.t('overview.missions')}</h3></div>
    <ol class="mission-list" data-testid="missions">
      ${s.missions.map(
        (m, i) => html`<li class="row-item ${app.history && touches(app.history.changed, `mission/${m.missionId}`) ? 'changed' : ''}" data-mission=${m.missionId}>
          <span class="row-num">${i + 1}</span>
          ${narrativeField(app, {
            key: `mission/${m.missionId}/text`,
            focus: { entity: `mission/${m.missionId}`, field: 'text' },
            value: m.text,
            rows: 1,
            enterLeaves: true,
            inputClass: 'input cell',
            ariaLabel: app.t('plan.mission', { n: i + 1 }),
            disabled: !can,
          })}
          <span class="row-actions">
            ${commentButton(app, `mission/${m.missionId}`)}
            ${can ? removeButton(app, `mission/${m.missionId}`, () => ({ type: 'RemoveMission', missionId: m.missionId })) : nothing}
          </span>
        </li>`,
      )}
    </ol>
    ${s.missions.length === 0 ? html`<p class="muted small">${app.t('plan.noMissions')}</p>` : nothing}
    ${can
      ? html`<form class="add-row" data-field=${form} data-testid="add-mission" @submit=${onFormSubmit(app, form, (v) => {
          const errors: Errors = {};
          requireText(errors, 'text', v.text);
          if (s.missions.some((m) => m.text.trim() === v.text?.trim())) errors.text = 'valid.duplicateMission';
          if (Object.keys(errors).length > 0) return { errors };
          return { command: { type: 'AddMission', missionId: newId('misi'), text: v.text.trim() } };
        })}>
          <div class="grow">
            <input class="input" name="text" aria-label=${app.t('plan.newMission')} placeholder=${app.t('plan.newMission')} />
            ${invalid(app, form, 'text')}
          </div>
          <button class="btn primary" type="submit" ?disabled=${!app.editable}>${app.t('plan.addMission')}</button>
          ${fieldError(app, form)}
        </form>`
      : nothing}
  </section>`;
}

/** A remove button whose refusal shows beside it. */
export function removeButton(app: App, key: string, command: () => Parameters<App['submit']>[0]): TemplateResult {
  return html`<span class="rm" data-field=${key}
    ><button class="btn small ghost danger" data-action="remove" title=${app.t('plan.remove')} aria-label=${app.t('plan.remove')}
      ?disabled=${!app.editable} @click=${() => void app.submit(command(), key)}>✕</button
    >${fieldError(app, key)}</span
  >`;
}

function issuesCard(app: App, s: MasterplanState): TemplateResult {
  const can = app.permissions.canEditMasterplan;
  const form = 'new/issue';
  const pillars = app.pillars;
  const name = (id: string) => {
    const d = pillars.find((p) => p.id === id);
    return d ? (app.lang === 'id' ? d.id_name : d.en_name) : id;
  };
  const dims = [...new Set([...pillars.map((p) => p.id), ...s.strategicIssues.map((i) => i.dimension)])].filter((d) =>
    s.strategicIssues.some((i) => i.dimension === d),
  );
  return html`<section class="card plan-issues" data-section="issues">
    ${sectionHead(app, app.t('plan.issues'), 'masterplan')}
    <p class="muted small">${app.t('plan.issuesIntro')}</p>
    <div class="issue-groups" data-testid="issues">
      ${dims.map((d) => {
        const color = pillars.find((p) => p.id === d)?.color ?? '#64748b';
        return html`<div class="issue-group" data-dimension=${d} style="--dc:${color}">
          <div class="issue-dim"><span class="dot"></span>${name(d)}</div>
          <ul class="issue-list">
            ${s.strategicIssues
              .filter((i) => i.dimension === d)
              .map(
                (i) => html`<li class="row-item ${app.history && touches(app.history.changed, `strategicIssue/${i.issueId}`) ? 'changed' : ''}" data-issue=${i.issueId}>
                  ${narrativeField(app, {
                    key: `strategicIssue/${i.issueId}/text`,
                    focus: { entity: `strategicIssue/${i.issueId}`, field: 'text' },
                    value: i.text,
                    rows: 1,
                    enterLeaves: true,
                    inputClass: 'input cell',
                    ariaLabel: app.t('plan.issue'),
                    disabled: !can,
                  })}
                  <span class="row-actions">
                    ${commentButton(app, `strategicIssue/${i.issueId}`)}
                    ${can ? removeButton(app, `strategicIssue/${i.issueId}`, () => ({ type: 'RemoveStrategicIssue', issueId: i.issueId })) : nothing}
                  </span>
                </li>`,
              )}
          </ul>
        </div>`;
      })}
      ${dims.length === 0 ? html`<p class="muted small">${app.t('plan.noIssues')}</p>` : nothing}
    </div>
    ${can
      ? html`<form class="add-row" data-field=${form} data-testid="add-issue" @submit=${onFormSubmit(app, form, (v) => {
          const errors: Errors = {};
          if (!v.dimension) errors.dimension = 'valid.chooseDimension';
          requireText(errors, 'text', v.text);
          if (Object.keys(errors).length > 0) return { errors };
          return { command: { type: 'AddStrategicIssue', issueId: newId('isu'), dimension: v.dimension, text: v.text.trim() } };
        })}>
          <div class="dim-select">
            <select class="input" name="dimension" aria-label=${app.t('form.dimension')}>
              <option value="">${app.t('plan.chooseDimension')}</option>
              ${pillars.map((p) => html`<option value=${p.id}>${app.lang === 'id' ? p.id_name : p.en_name}</option>`)}
            </select>
            ${invalid(app, form, 'dimension')}
          </div>
          <div class="grow">
            <input class="input" name="text" aria-label=${app.t('plan.newIssue')} placeholder=${app.t('plan.newIssue')} />
            ${invalid(app, form, 'text')}
          </div>
          <button class="btn primary" type="submit" ?disabled=${!app.editable}>${app.t('plan.addIssue')}</button>
          ${fieldError(app, form)}
        </form>`
      : nothing}
  </section>`;
}

function readinessEntry(app: App, e: ReadinessEntry, can: boolean): TemplateResult {
  const entity = `readiness/${e.entryId}`;
  const update = (field: 'title' | 'description' | 'unit', value: string) => {
    const v = value.trim();
    if (field === 'title' && v === '') return refuseField(app, `${entity}/title`, 'valid.required');
    if (v === (e[field] ?? '')) return null;
    return { type: 'UpdateReadinessEntry' as const, entryId: e.entryId, [field]: v };
  };
  return html`<li class="readiness-item ${app.history && touches(app.history.changed, entity) ? 'changed' : ''}" data-entry=${e.entryId}>
    <div class="readiness-top">
      ${textField(app, {
        key: `${entity}/title`,
        focus: { entity, field: 'title' },
        value: e.title,
        inputClass: 'input cell strong',
        ariaLabel: app.t('plan.readinessTitle'),
        disabled: !can,
        commit: (v) => update('title', v),
      })}
      <span class="row-actions">
        ${commentButton(app, entity)}
        ${can ? removeButton(app, entity, () => ({ type: 'RemoveReadinessEntry', entryId: e.entryId })) : nothing}
      </span>
    </div>
    <div class="readiness-qty">
      ${textField(app, {
        key: `${entity}/quantity`,
        focus: { entity, field: 'quantity' },
        value: e.quantity ?? '',
        inputClass: 'input cell qty',
        ariaLabel: app.t('plan.quantity'),
        placeholder: app.t('plan.quantity'),
        disabled: !can,
        commit: (v) => {
          if (v.trim() === String(e.quantity ?? '')) return null;
          const n = Number(v.trim().replace(',', '.'));
          if (v.trim() === '' || !Number.isFinite(n)) return refuseField(app, `${entity}/quantity`, 'valid.number');
          return { type: 'UpdateReadinessEntry', entryId: e.entryId, quantity: n };
        },
      })}
      ${textField(app, {
        key: `${entity}/unit`,
        focus: { entity, field: 'unit' },
        value: e.unit ?? '',
        inputClass: 'input cell',
        ariaLabel: app.t('form.unit'),
        placeholder: app.t('form.unit'),
        disabled: !can,
        commit: (v) => update('unit', v),
      })}
    </div>
    ${textArea(app, {
      key: `${entity}/description`,
      focus: { entity, field: 'description' },
      value: e.description ?? '',
      rows: 2,
      inputClass: 'input cell small',
      ariaLabel: app.t('form.description'),
      placeholder: app.t('form.description'),
      disabled: !can,
      commit: (v) => update('description', v),
    })}
  </li>`;
}

function readinessCard(app: App, s: MasterplanState): TemplateResult {
  const can = app.permissions.canEditMasterplan;
  const form = 'new/readiness';
  return html`<section class="card plan-readiness" data-section="readiness">
    ${sectionHead(app, app.t('plan.readiness'), 'masterplan')}
    <div class="readiness-grid">
      ${AXES.map(
        (axis) => html`<div class="readiness-axis" data-axis=${axis}>
          <h3>${app.t(`axis.${axis}`)}</h3>
          <p class="muted small">${app.t(`axis.${axis}.hint`)}</p>
          <ul class="readiness-list">
            ${s.readiness.filter((e) => e.axis === axis).map((e) => readinessEntry(app, e, can))}
          </ul>
        </div>`,
      )}
    </div>
    ${can
      ? html`<form class="add-row wrap" data-field=${form} data-testid="add-readiness" @submit=${onFormSubmit(app, form, (v) => {
          const errors: Errors = {};
          if (!AXES.includes(v.axis as (typeof AXES)[number])) errors.axis = 'valid.chooseAxis';
          requireText(errors, 'title', v.title);
          const quantity = wholeNumber(errors, 'quantity', v.quantity);
          if (Object.keys(errors).length > 0) return { errors };
          return {
            command: {
              type: 'AddReadinessEntry',
              entryId: newId('r'),
              axis: v.axis as (typeof AXES)[number],
              title: v.title.trim(),
              ...(v.description?.trim() ? { description: v.description.trim() } : {}),
              ...(quantity !== undefined ? { quantity } : {}),
              ...(v.unit?.trim() ? { unit: v.unit.trim() } : {}),
            },
          };
        })}>
          <div class="dim-select">
            <select class="input" name="axis" aria-label=${app.t('plan.axis')}>
              <option value="">${app.t('plan.chooseAxis')}</option>
              ${AXES.map((a) => html`<option value=${a}>${app.t(`axis.${a}`)}</option>`)}
            </select>
            ${invalid(app, form, 'axis')}
          </div>
          <div class="grow">
            <input class="input" name="title" aria-label=${app.t('plan.readinessTitle')} placeholder=${app.t('plan.readinessTitle')} />
            ${invalid(app, form, 'title')}
          </div>
          <div class="qty-box">
            <input class="input" name="quantity" inputmode="decimal" aria-label=${app.t('plan.quantity')} placeholder=${app.t('plan.quantity')} />
            ${invalid(app, form, 'quantity')}
          </div>
          <div class="qty-box"><input class="input" name="unit" aria-label=${app.t('form.unit')} placeholder=${app.t('form.unit')} /></div>
          <div class="grow full"><input class="input" name="description" aria-label=${app.t('form.description')} placeholder=${app.t('form.description')} /></div>
          <button class="btn primary" type="submit" ?disabled=${!app.editable}>${app.t('plan.addReadiness')}</button>
          ${fieldError(app, form)}
        </form>`
      : nothing}
  </section>`;
}

export function planView(app: App): TemplateResult {
  const s = app.state!;
  return html`<div class="plan-view">
    ${!app.permissions.canEditMasterplan ? html`<div class="notice">${app.t('plan.readonly')}</div>` : nothing}
    ${identityCard(app, s)} ${missionsCard(app, s)} ${issuesCard(app, s)} ${readinessCard(app, s)}
  </div>`;
}
