// Inviting people into the masterplan (Members tab): role, OPD for an OPD editor, how long
// the link is valid (7 days unless changed). The server makes a one-time link; it is shown
// here to copy and send. The invitations of the masterplan are listed and can be withdrawn.
// For an admin or the masterplan's Tim Pelaksana, and only when signed in with an account
// server (a `#token=` editor against a server without accounts shows nothing).
import { html, nothing, type TemplateResult } from 'lit-html';
import type { MemberRole } from '@rembuk/client';
import type { App } from '../app';
import { formatTime } from '../format';
import { invalid } from '../forms';
import { MEMBER_ROLES } from './members';

export function invitationsSection(app: App): TemplateResult | typeof nothing {
  if (!app.permissions.canInvite || app.history !== null) return nothing;
  const s = app.state!;
  const form = 'new/invitation';
  const opds = s.opds.filter((o) => !o.retired);
  const link = app.inviteLink;
  return html`<section class="card" data-testid="invitations">
    <div class="card-head"><h2>${app.t('members.invite')}</h2></div>
    <p class="muted small">${app.t('members.inviteHint')}</p>
    <form class="add-row wrap" data-field=${form} data-testid="invite-form" novalidate @submit=${async (e: Event) => {
      e.preventDefault();
      const data = new FormData(e.target as HTMLFormElement);
      const role = String(data.get('role') ?? '');
      const opd = String(data.get('opd') ?? '');
      const days = Number(String(data.get('days') ?? '7').replace(',', '.'));
      const errors: Record<string, string> = {};
      if (!MEMBER_ROLES.includes(role as MemberRole)) errors.role = 'valid.chooseRole';
      if (role === 'opd_editor' && !opd) errors.opd = 'valid.opdRequired';
      if (!(days >= 1 && days <= 30)) errors.days = 'valid.expiresDays';
      if (!app.setFormErrors(form, errors)) return;
      const problem = await app.invite(role, role === 'opd_editor' ? opd : undefined, days);
      if (problem) app.toast('error', problem);
    }}>
      <div class="dim-select">
        <select class="input" name="role" aria-label=${app.t('members.role')}>
          <option value="">${app.t('members.chooseRole')}</option>
          ${MEMBER_ROLES.map((r) => html`<option value=${r}>${app.t(`role.${r}`)}</option>`)}
        </select>
        ${invalid(app, form, 'role')}
      </div>
      <div class="dim-select">
        <select class="input" name="opd" aria-label=${app.t('members.opd')}>
          <option value="">${app.t('members.noOpd')}</option>
          ${opds.map((o) => html`<option value=${o.opdId}>${o.shortName || o.name}</option>`)}
        </select>
        ${invalid(app, form, 'opd')}
      </div>
      <div class="qty-box days-box">
        <input class="input" name="days" type="number" min="1" max="30" value="7" inputmode="numeric" aria-label=${app.t('members.expiresDays')} title=${app.t('members.expiresDays')} />
        <span class="muted small">${app.t('members.days')}</span>
        ${invalid(app, form, 'days')}
      </div>
      <button class="btn primary" type="submit">${app.t('members.inviteButton')}</button>
    </form>
    ${link
      ? html`<div class="invite-link" data-testid="invite-link">
          <div class="muted small">${app.t('members.inviteLink', { time: formatTime(link.expiresAt, app.lang) })}</div>
          <div class="invite-link-row">
            <input class="input mono" readonly .value=${link.url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
            <button class="btn" type="button" @click=${async () => {
              try {
                await navigator.clipboard.writeText(link.url);
                app.toast('ok', app.t('members.copied'));
              } catch {
                // No clipboard (plain http): the field is selected for a manual copy.
                (document.querySelector('[data-testid=invite-link] input') as HTMLInputElement | null)?.select();
              }
            }}>${app.t('members.copy')}</button>
          </div>
        </div>`
      : nothing}
    <h3 class="form-section">${app.t('members.invitations')}</h3>
    ${app.invitations.length === 0
      ? html`<p class="muted small">${app.t('members.noInvitations')}</p>`
      : html`<ul class="invitation-list" data-testid="invitation-list">
          ${app.invitations.map(
            (i) => html`<li data-invitation=${i.id} data-status=${i.status}>
              <div class="invitation-what">
                <b>${app.t(`role.${i.role}`)}</b>${i.opd ? html` · ${i.opd}` : nothing}
                <span class="pill small ${i.status === 'pending' ? 'ok' : 'muted-pill'}">${app.t(`members.status.${i.status}`)}</span>
                <div class="muted small">
                  ${i.user ? html`${app.memberName(i.user)} · ` : nothing}${i.invitedBy ? app.t('members.invitedBy', { who: app.memberName(i.invitedBy) }) : ''}
                  · ${formatTime(i.createdAt, app.lang)} → ${formatTime(i.expiresAt, app.lang)}
                </div>
              </div>
              ${i.status === 'pending'
                ? html`<button class="btn small danger" data-withdraw=${i.id} @click=${() => void app.withdrawInvitation(i.id)}>${app.t('members.withdraw')}</button>`
                : nothing}
            </li>`,
          )}
        </ul>`}
  </section>`;
}
