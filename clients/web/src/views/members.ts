// Members and roles (docs/commands.md, "Members"): who takes part in this masterplan and as
// what. An OPD editor needs an OPD; `admin` is never a member role (it only comes from a
// token). Change a role inline, remove a member, add one; invite someone by a one-time link
// (views/invitations.ts). Names come from the accounts (app.memberName); an admin sees each
// member's account and may disable or enable it.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { MemberRole } from '@rembuk/client';
import type { App } from '../app';
import { touches } from '../diff';
import { initials, fieldError, selectField, userColor } from '../fields';
import { ID_PATTERN, invalid, onFormSubmit, refuseField, requireText, type Errors } from '../forms';
import { commentButton } from './comments';
import { removeButton } from './plan';
import { invitationsSection } from './invitations';

export const MEMBER_ROLES: MemberRole[] = ['tim_pelaksana', 'opd_editor', 'dewan', 'reviewer', 'viewer'];

export function membersView(app: App): TemplateResult {
  const s = app.state!;
  const can = app.permissions.canManageMembers;
  const form = 'new/member';
  const opdOptions = s.opds.filter((o) => !o.retired).map((o) => ({ value: o.opdId, label: o.shortName || o.name }));
  const roleOptions = MEMBER_ROLES.map((r) => ({ value: r, label: app.t(`role.${r}`) }));
  const me = app.welcome?.user;
  const admin = app.permissions.canManageAccounts && app.accounts.size > 0;
  const accountCell = (userId: string) => {
    const a = app.accounts.get(userId);
    if (!a) return html`<span class="pill muted-pill small" data-account="none">${app.t('members.accountNone')}</span>`;
    const disabled = a.disabled === true;
    return html`<span class="pill small ${disabled ? 'warn' : 'ok'}" data-account=${disabled ? 'disabled' : 'active'}>${app.t(disabled ? 'members.accountDisabled' : 'members.accountActive')}</span>
      ${userId === me
        ? nothing
        : html`<button class="btn small ${disabled ? '' : 'danger'}" data-account-action=${disabled ? 'enable' : 'disable'}
            @click=${() => void app.setAccountDisabled(userId, !disabled)}>${app.t(disabled ? 'members.enable' : 'members.disable')}</button>`}`;
  };
  return html`<div class="members-view">
    <section class="card table-card">
      <div class="card-head padded">
        <h2>${app.t('members.title')}</h2>
        <span class="muted small">${app.t('members.count', { count: s.members.length })}</span>
      </div>
      <table class="grid member-table" data-testid="members">
        <colgroup>
          <col /><col style="width:${admin ? 200 : 170}px" /><col style="width:${admin ? 170 : 190}px" /><col style="width:${admin ? 170 : 190}px" /><col style="width:110px" />
        </colgroup>
        <thead>
          <tr><th>${app.t('members.name')}</th><th>${app.t('members.userId')}${admin ? html` · ${app.t('members.account')}` : nothing}</th><th>${app.t('members.role')}</th><th>${app.t('members.opd')}</th><th></th></tr>
        </thead>
        <tbody>
          ${s.members.map((m) => {
            const entity = `member/${m.userId}`;
            const changed = app.history !== null && touches(app.history.changed, entity);
            return html`<tr data-member=${m.userId} class="${changed ? 'changed-row' : ''}">
              <td>
                <div class="member-name">
                  <span class="avatar sm" style="--c:${userColor(m.userId)}">${initials(app.memberName(m.userId))}</span>
                  <div><div class="person">${app.memberName(m.userId)}${m.userId === me ? html` <span class="pill small">${app.t('members.you')}</span>` : nothing}</div>
                  <div class="muted small">${m.title ?? ''}</div></div>
                </div>
              </td>
              <td class="muted small mono col-user">${m.userId}${admin ? html`<div class="col-account">${accountCell(m.userId)}</div>` : nothing}</td>
              <td>
                ${selectField(app, {
                  key: `${entity}/role`,
                  focus: { entity, field: 'role' },
                  value: m.role,
                  options: roleOptions,
                  ariaLabel: app.t('members.role'),
                  disabled: !can,
                  commit: (v) => {
                    if (v === m.role) return null;
                    if (v === 'opd_editor' && !m.opdId) return refuseField(app, `${entity}/role`, 'valid.opdRequired');
                    return { type: 'ChangeMemberRole', userId: m.userId, role: v as MemberRole, ...(v === 'opd_editor' ? { opdId: m.opdId! } : {}) };
                  },
                })}
              </td>
              <td>
                ${selectField(app, {
                  key: `${entity}/opd`,
                  focus: { entity, field: 'opd' },
                  value: m.opdId ?? '',
                  options: opdOptions,
                  ariaLabel: app.t('members.opd'),
                  disabled: !can,
                  commit: (v) => (v === (m.opdId ?? '') || !v ? null : { type: 'ChangeMemberRole', userId: m.userId, role: 'opd_editor', opdId: v }),
                })}
              </td>
              <td class="col-act">
                ${commentButton(app, entity)}
                ${can ? removeButton(app, entity, () => ({ type: 'RemoveMember', userId: m.userId })) : nothing}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </section>
    ${invitationsSection(app)}
    ${can
      ? html`<section class="card">
          <div class="card-head"><h2>${app.t('members.add')}</h2></div>
          <p class="muted small">${app.t('members.addHint')}</p>
          <form class="add-row wrap" data-field=${form} data-testid="add-member" @submit=${onFormSubmit(app, form, (v) => {
            const errors: Errors = {};
            requireText(errors, 'userId', v.userId);
            requireText(errors, 'name', v.name);
            const userId = (v.userId ?? '').trim();
            if (userId && !ID_PATTERN.test(userId)) errors.userId = 'valid.id';
            else if (s.members.some((m) => m.userId === userId)) errors.userId = 'valid.memberTaken';
            if (!MEMBER_ROLES.includes(v.role as MemberRole)) errors.role = 'valid.chooseRole';
            if (v.role === 'opd_editor' && !v.opdId) errors.opdId = 'valid.opdRequired';
            if (Object.keys(errors).length > 0) return { errors };
            return {
              command: {
                type: 'AddMember',
                userId,
                name: v.name.trim(),
                role: v.role as MemberRole,
                ...(v.opdId ? { opdId: v.opdId } : {}),
                ...(v.title?.trim() ? { title: v.title.trim() } : {}),
              },
            };
          })}>
            <div class="qty-box wide">
              <input class="input" name="userId" aria-label=${app.t('members.userId')} placeholder=${app.t('members.userIdPlaceholder')} />
              ${invalid(app, form, 'userId')}
            </div>
            <div class="grow">
              <input class="input" name="name" aria-label=${app.t('members.name')} placeholder=${app.t('members.name')} />
              ${invalid(app, form, 'name')}
            </div>
            <div class="grow"><input class="input" name="title" aria-label=${app.t('members.jobTitle')} placeholder=${app.t('members.jobTitle')} /></div>
            <div class="dim-select">
              <select class="input" name="role" aria-label=${app.t('members.role')}>
                <option value="">${app.t('members.chooseRole')}</option>
                ${roleOptions.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
              </select>
              ${invalid(app, form, 'role')}
            </div>
            <div class="dim-select">
              <select class="input" name="opdId" aria-label=${app.t('members.opd')}>
                <option value="">${app.t('members.noOpd')}</option>
                ${opdOptions.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
              </select>
              ${invalid(app, form, 'opdId')}
            </div>
            <button class="btn primary" type="submit" ?disabled=${!app.editable}>${app.t('members.addButton')}</button>
            ${fieldError(app, form)}
          </form>
        </section>`
      : html`<div class="notice">${app.t('members.readonly')}</div>`}
  </div>`;
}
