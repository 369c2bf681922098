// The pages before the editor: sign in (also where an ended session returns, saying why)
// and the invitation page (choose a name and password; or which of used / withdrawn /
// expired the link is). Both fit a phone: one column, nothing wider than the screen.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app';
import { t } from '../i18n';
import { formatTime } from '../format';

function langButton(app: App): TemplateResult {
  return html`<button type="button" class="btn ghost lang" data-testid="lang" @click=${() => app.setLang(app.lang === 'id' ? 'en' : 'id')}>
    ${app.lang === 'id' ? 'EN' : 'ID'}
  </button>`;
}

function frame(app: App, body: TemplateResult): TemplateResult {
  return html`<div class="auth-page">
    <div class="auth-card card">
      <div class="auth-head">
        <div class="brand"><span class="logo">R</span><span class="brand-name">rembuk</span></div>
        ${langButton(app)}
      </div>
      ${body}
    </div>
  </div>`;
}

function values(e: Event): Record<string, string> {
  e.preventDefault();
  const data = new FormData(e.target as HTMLFormElement);
  return Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)]));
}

export function signinPage(app: App): TemplateResult {
  return frame(
    app,
    html`<h1 class="auth-title">${app.t('signin.title')}</h1>
      <p class="muted">${app.t('signin.intro')}</p>
      ${app.notice ? html`<div class="auth-notice" role="status" data-testid="signin-notice">${app.t(app.notice)}</div>` : nothing}
      <form class="auth-form" data-testid="signin" @submit=${(e: Event) => {
        const v = values(e);
        void app.signIn(v.user ?? '', v.password ?? '');
      }}>
        <label class="field-label" for="signin-user">${app.t('signin.user')}</label>
        <input class="input" id="signin-user" name="user" autocomplete="username" autocapitalize="none" spellcheck="false" required />
        <label class="field-label" for="signin-password">${app.t('signin.password')}</label>
        <input class="input" id="signin-password" name="password" type="password" autocomplete="current-password" required />
        ${app.authError ? html`<div class="field-error" role="alert" data-testid="auth-error">${app.authError}</div>` : nothing}
        <button class="btn primary auth-submit" type="submit" ?disabled=${app.authBusy}>
          ${app.authBusy ? app.t('signin.busy') : app.t('signin.submit')}
        </button>
      </form>
      <p class="muted small">${app.t('signin.invited')}</p>`,
  );
}

/** A used, withdrawn, expired or unknown link: said in both languages, the current first. */
function invitationGone(app: App, key: string): TemplateResult {
  const other = app.lang === 'id' ? 'en' : 'id';
  return html`<div class="invite-gone" data-testid="invitation-gone" data-status=${key.replace('invite.', '')}>
      <h1 class="auth-title">${app.t(key)}</h1>
      <p lang=${other} class="muted">${t(other, key)}</p>
      <p>${app.t('invite.askAgain')}</p>
      <p lang=${other} class="muted small">${t(other, 'invite.askAgain')}</p>
    </div>
    <a class="btn" href="/" @click=${() => history.replaceState(null, '', '/')}>${app.t('invite.toSignIn')}</a>`;
}

function roleName(app: App, role: string): string {
  const text = app.t(`role.${role}`);
  return text.startsWith('role.') ? role : text;
}

export function invitePage(app: App): TemplateResult {
  const i = app.invitation;
  if (app.invitationMissing) return frame(app, invitationGone(app, 'invite.notFound'));
  if (!i) {
    return frame(app, html`<p class="muted" data-testid="invitation-loading">${app.authError ?? app.t('invite.loading')}</p>`);
  }
  if (i.status !== 'pending') return frame(app, invitationGone(app, `invite.${i.status}`));
  const reset = i.kind === 'reset';
  const city = i.cityName || i.masterplan || '';
  const intro = reset
    ? app.t('invite.reset', { user: i.user ?? '' })
    : !i.masterplan
      ? app.t('invite.introGlobal', { role: roleName(app, i.role) })
      : i.opd
        ? app.t('invite.introOpd', { city, role: roleName(app, i.role), opd: i.opd })
        : app.t('invite.intro', { city, role: roleName(app, i.role) });
  const form = 'invite';
  const errors = app.formErrors.get(form) ?? {};
  const err = (field: string) => (errors[field] ? html`<div class="inline-error" data-invalid=${field}>${app.t(errors[field])}</div>` : nothing);
  return frame(
    app,
    html`<h1 class="auth-title">${app.t('invite.title')}</h1>
      <p data-testid="invitation-intro">${intro}</p>
      <p class="muted small">${app.t('invite.expires', { time: formatTime(i.expiresAt, app.lang) })}</p>
      <form class="auth-form" data-testid="accept-invitation" novalidate @submit=${(e: Event) => {
        const v = values(e);
        const found: Record<string, string> = {};
        if (!reset && !(v.displayName ?? '').trim()) found.displayName = 'valid.required';
        const password = v.password ?? '';
        const user = (v.user ?? '').trim();
        if (password.length < 10) found.password = 'valid.passwordShort';
        else if (user && password === user) found.password = 'valid.passwordUser';
        else if (city && password.trim().toLowerCase() === city.toLowerCase()) found.password = 'valid.passwordCity';
        if (!found.password && password !== (v.password2 ?? '')) found.password2 = 'valid.passwordMismatch';
        if (user && !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(user)) found.user = 'valid.id';
        if (!app.setFormErrors(form, found)) return;
        void app.acceptInvitation(v.displayName ?? '', password, user);
      }}>
        ${reset
          ? nothing
          : html`<label class="field-label" for="invite-name">${app.t('invite.displayName')}</label>
              <input class="input" id="invite-name" name="displayName" autocomplete="name" />
              <div class="muted small">${app.t('invite.displayNameHint')}</div>
              ${err('displayName')}
              <label class="field-label" for="invite-user">${app.t('invite.userId')}</label>
              <input class="input" id="invite-user" name="user" autocomplete="username" autocapitalize="none" spellcheck="false" />
              <div class="muted small">${app.t('invite.userIdHint')}</div>
              ${err('user')}`}
        <label class="field-label" for="invite-password">${app.t('invite.password')}</label>
        <input class="input" id="invite-password" name="password" type="password" autocomplete="new-password" />
        <div class="muted small">${app.t('invite.passwordHint')}</div>
        ${err('password')}
        <label class="field-label" for="invite-password2">${app.t('invite.password2')}</label>
        <input class="input" id="invite-password2" name="password2" type="password" autocomplete="new-password" />
        ${err('password2')}
        ${app.authError ? html`<div class="field-error" role="alert" data-testid="auth-error">${app.authError}</div>` : nothing}
        <button class="btn primary auth-submit" type="submit" ?disabled=${app.authBusy}>
          ${app.authBusy ? app.t('invite.busy') : app.t(reset ? 'invite.submitReset' : 'invite.submit')}
        </button>
      </form>`,
  );
}
