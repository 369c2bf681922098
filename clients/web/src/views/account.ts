// The account panel: who is signed in, their sign-in sessions (end any of them), sign out.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app';
import { initials, userColor } from '../fields';
import { formatTime, relativeTime } from '../format';

/** The header's account button: the user's initials; opens the panel. */
export function accountButton(app: App): TemplateResult {
  const me = app.welcome?.user ?? '';
  const name = app.memberName(me);
  return html`<button class="account-btn" data-testid="account" title="${name} — ${app.t('account.title')}" aria-label=${app.t('account.title')}
    @click=${() => app.openAccount(true)}>
    <span class="avatar me" style="--c:${userColor(me)}">${initials(name)}</span>
  </button>`;
}

function browserName(agent: string | undefined): string {
  if (!agent) return '—';
  const m = agent.match(/(Firefox|Edg|OPR|Chrome|Chromium|Safari)\/[\d.]+/);
  const os = agent.match(/Android|iPhone|iPad|Windows|Mac OS X|Linux/);
  return [m?.[1] === 'Edg' ? 'Edge' : m?.[1], os?.[0]].filter(Boolean).join(' · ') || agent.slice(0, 60);
}

export function accountPanel(app: App): TemplateResult | typeof nothing {
  if (!app.accountOpen) return nothing;
  const me = app.welcome?.user ?? app.session?.user ?? '';
  const roles = [...app.permissions.roles].map((r) => app.t(`role.${r}`)).join(', ');
  const sessions = (app.sessions ?? []).filter((s) => s.active);
  return html`<div class="drawer-backdrop" @click=${() => app.openAccount(false)}></div>
    <aside class="drawer account-drawer" data-testid="account-panel">
      <div class="drawer-head">
        <div>
          <div class="eyebrow">${app.t('account.title')}</div>
          <h2 class="drawer-title">${app.memberName(me)}</h2>
          <div class="muted small">${app.t('account.user')}: <span class="mono">${me}</span>${roles ? html` · ${roles}` : nothing}</div>
        </div>
        <button class="btn ghost" aria-label=${app.t('form.close')} @click=${() => app.openAccount(false)}>✕</button>
      </div>
      ${app.session
        ? html`<button class="btn danger" data-testid="sign-out" @click=${() => void app.signOut()}>${app.t('account.signOut')}</button>
            <h3 class="form-section">${app.t('account.sessions')}</h3>
            <p class="muted small">${app.t('account.sessionsHint')}</p>
            ${sessions.length === 0
              ? html`<p class="muted">${app.t('account.noSessions')}</p>`
              : html`<ul class="session-list" data-testid="sessions">
                  ${sessions.map(
                    (s) => html`<li data-session=${s.id} class=${s.current ? 'current' : ''}>
                      <div class="session-what">
                        <b>${browserName(s.userAgent)}</b>
                        ${s.current ? html`<span class="pill ok small">${app.t('account.current')}</span>` : nothing}
                        <div class="muted small">
                          ${s.clientAddress ?? ''} · ${app.t('account.created', { time: formatTime(s.createdAt, app.lang) })} ·
                          ${app.t('account.lastUsed', { time: relativeTime(s.lastUsedAt, app.lang) })}
                        </div>
                      </div>
                      <button class="btn small danger" data-end-session=${s.id} @click=${() => void app.endSession(s.id)}>${app.t('account.end')}</button>
                    </li>`,
                  )}
                </ul>`}`
        : html`<p class="muted">${app.t('account.serviceToken')}</p>`}
    </aside>`;
}
