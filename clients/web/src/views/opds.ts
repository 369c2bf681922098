// The OPD list (docs/commands.md, "OPDs"): rename inline, retire and reinstate (a retired OPD
// stays for history but may lead or support no program), register a new one. The programs
// each OPD leads and supports are counted so a retirement that would be refused is visible.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app';
import { touches } from '../diff';
import { fieldError, textField } from '../fields';
import { ID_PATTERN, invalid, onFormSubmit, refuseField, requireText, slugId, type Errors } from '../forms';
import { commentButton } from './comments';

export function opdsView(app: App): TemplateResult {
  const s = app.state!;
  const can = app.permissions.canManageOpds;
  const form = 'new/opd';
  const active = s.opds.filter((o) => !o.retired).length;
  return html`<div class="opds-view">
    <section class="card table-card">
      <div class="card-head padded">
        <h2>${app.t('opds.title')}</h2>
        <span class="muted small">${app.t('opds.count', { active, total: s.opds.length })}</span>
      </div>
      <table class="grid opd-table" data-testid="opds">
        <colgroup><col style="width:130px" /><col /><col style="width:190px" /><col style="width:110px" /><col style="width:110px" /><col style="width:200px" /></colgroup>
        <thead>
          <tr>
            <th>${app.t('opds.id')}</th>
            <th>${app.t('opds.name')}</th>
            <th>${app.t('opds.shortName')}</th>
            <th class="num">${app.t('opds.programs')}</th>
            <th>${app.t('opds.status')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${s.opds.map((o) => {
            const entity = `opd/${o.opdId}`;
            const leads = s.programs.filter((p) => p.leadOpd === o.opdId).length;
            const supports = s.programs.filter((p) => p.supportingOpds.includes(o.opdId)).length;
            const changed = app.history !== null && touches(app.history.changed, entity);
            const statusKey = `${entity}/status`;
            return html`<tr data-opd=${o.opdId} class="${o.retired ? 'retired' : ''} ${changed ? 'changed-row' : ''}">
              <td class="muted small mono">${o.opdId}</td>
              <td>
                ${textField(app, {
                  key: `${entity}/name`,
                  focus: { entity, field: 'name' },
                  value: o.name,
                  inputClass: 'input cell',
                  ariaLabel: app.t('opds.name'),
                  disabled: !can,
                  commit: (v) => {
                    if (!v.trim()) return refuseField(app, `${entity}/name`, 'valid.required');
                    if (v.trim() === o.name) return null;
                    return { type: 'RenameOpd', opdId: o.opdId, name: v.trim(), ...(o.shortName ? { shortName: o.shortName } : {}) };
                  },
                })}
              </td>
              <td>
                ${textField(app, {
                  key: `${entity}/shortName`,
                  focus: { entity, field: 'shortName' },
                  value: o.shortName ?? '',
                  inputClass: 'input cell',
                  ariaLabel: app.t('opds.shortName'),
                  disabled: !can,
                  commit: (v) =>
                    v.trim() === (o.shortName ?? '') ? null : { type: 'RenameOpd', opdId: o.opdId, name: o.name, ...(v.trim() ? { shortName: v.trim() } : {}) },
                })}
              </td>
              <td class="num" title=${app.t('opds.leadsSupports', { leads, supports })}>${leads} · ${supports}</td>
              <td><span class="pill ${o.retired ? 'muted-pill' : 'ok'}" data-status>${app.t(o.retired ? 'opds.retired' : 'opds.active')}</span></td>
              <td class="col-act">
                <span class="rm" data-field=${statusKey}>
                  ${can
                    ? o.retired
                      ? html`<button class="btn small" data-action="reinstate" ?disabled=${!app.editable}
                          @click=${() => void app.submit({ type: 'ReinstateOpd', opdId: o.opdId }, statusKey)}>${app.t('opds.reinstate')}</button>`
                      : html`<button class="btn small" data-action="retire" ?disabled=${!app.editable}
                          title=${leads + supports > 0 ? app.t('opds.inUse', { count: leads + supports }) : ''}
                          @click=${() => void app.submit({ type: 'RetireOpd', opdId: o.opdId }, statusKey)}>${app.t('opds.retire')}</button>`
                    : nothing}
                  ${fieldError(app, statusKey)}
                </span>
                ${commentButton(app, entity)}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </section>
    ${can
      ? html`<section class="card">
          <div class="card-head"><h2>${app.t('opds.register')}</h2></div>
          <form class="add-row wrap" data-field=${form} data-testid="register-opd" @submit=${onFormSubmit(app, form, (v) => {
            const errors: Errors = {};
            requireText(errors, 'name', v.name);
            const opdId = (v.opdId ?? '').trim() || slugId(v.shortName?.trim() || v.name || '');
            if (!errors.name) {
              if (!ID_PATTERN.test(opdId)) errors.opdId = 'valid.id';
              else if (s.opds.some((o) => o.opdId === opdId)) errors.opdId = 'valid.idTaken';
            }
            if (v.name && s.opds.some((o) => o.name.trim().toLowerCase() === v.name.trim().toLowerCase())) errors.name = 'valid.opdNameTaken';
            if (Object.keys(errors).length > 0) return { errors };
            return { command: { type: 'RegisterOpd', opdId, name: v.name.trim(), ...(v.shortName?.trim() ? { shortName: v.shortName.trim() } : {}) } };
          })}>
            <div class="grow">
              <input class="input" name="name" aria-label=${app.t('opds.name')} placeholder=${app.t('opds.namePlaceholder')} />
              ${invalid(app, form, 'name')}
            </div>
            <div class="qty-box wide"><input class="input" name="shortName" aria-label=${app.t('opds.shortName')} placeholder=${app.t('opds.shortName')} /></div>
            <div class="qty-box wide">
              <input class="input" name="opdId" aria-label=${app.t('opds.id')} placeholder=${app.t('opds.idAuto')} />
              ${invalid(app, form, 'opdId')}
            </div>
            <button class="btn primary" type="submit" ?disabled=${!app.editable}>${app.t('opds.registerButton')}</button>
            ${fieldError(app, form)}
          </form>
        </section>`
      : html`<div class="notice">${app.t('opds.readonly')}</div>`}
  </div>`;
}
