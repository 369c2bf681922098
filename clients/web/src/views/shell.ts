// The page: header (city, status, presence, language), history slider, tabs, the view,
// the activity sidebar, the program drawer and toasts.
import { html, nothing, type TemplateResult } from 'lit-html';
import { TABS, type App } from '../app';
import { describeEvent } from '../describe';
import { fieldError, initials, userColor } from '../fields';
import { formatTime, relativeTime } from '../format';
import { budgetView } from './budget';
import { programDrawer } from './form';
import { overviewView } from './overview';
import { programsView } from './programs';
import { roadmapView } from './roadmap';
import { activityView } from './activity';
import { submissionView } from './submission';
import { commentsPanel, commentsView, targetLabel } from './comments';
import { membersView } from './members';
import { opdsView } from './opds';
import { planView } from './plan';
import { bimtekView } from '../bimtek/view';
import { accountButton, accountPanel } from './account';
import { invitePage, signinPage } from './signin';

function focusLabel(app: App, focus: unknown): string {
  const f = focus as { entity?: string; field?: string } | null;
  if (!f?.entity) return app.t('presence.looking');
  const state = app.liveState;
  const [kind, id] = f.entity.split('/');
  if (kind === 'program') {
    const title = state?.programs.find((p) => p.programId === id)?.title ?? id;
    if (!f.field) return app.t('presence.viewing', { what: title });
    const field = app.t(`fields.${f.field.split('/')[0]}`);
    return app.t('presence.editing', { what: !field.startsWith('fields.') ? `${field} · ${title}` : title });
  }
  if (kind === 'masterplan') return app.t('presence.editing', { what: app.t(`fields.${f.field ?? 'vision'}`) });
  if (kind === 'tab') return app.t('presence.viewing', { what: app.t(`tab.${id}`) });
  if (['mission', 'strategicIssue', 'readiness', 'opd', 'member'].includes(kind)) {
    return app.t('presence.editing', { what: targetLabel(app, f.entity) });
  }
  return app.t('presence.looking');
}

function presenceBar(app: App): TemplateResult {
  // One avatar per user (a user may have several tabs open).
  const byUser = new Map<string, (typeof app.presence)[number]>();
  for (const m of app.presence) {
    const f = m.focus as { field?: string } | null;
    if (!byUser.has(m.user) || f?.field) byUser.set(m.user, m);
  }
  // The user's own avatar is the account button next to it.
  return html`<div class="presence" data-testid="presence">
    ${[...byUser.values()].map(
      (m) => html`<span class="avatar" data-user=${m.user} style="--c:${userColor(m.user)}"
        title="${app.memberName(m.user)} — ${focusLabel(app, m.focus)}">${initials(app.memberName(m.user))}</span>`,
    )}
  </div>`;
}

/** Undo of the user's own last edit; the button keeps its size whether or not there is one. */
function undoButton(app: App): TemplateResult | typeof nothing {
  if (!app.permissions.canUndo) return nothing;
  const candidate = app.undoCandidate;
  const what = candidate ? describeEvent(candidate.events[candidate.events.length - 1], app.liveState, app.lang) : '';
  const title = candidate ? app.t('undo.title', { what }) : app.t('undo.nothing');
  return html`<span class="undo-box" data-field="undo">
    <button class="btn small undo" data-testid="undo" title=${title} aria-label=${title} ?disabled=${!candidate || !app.editable}
      @click=${() => void app.undoLast()}>↶ ${app.t('undo.button')}</button>
    ${fieldError(app, 'undo')}
  </span>`;
}

function header(app: App): TemplateResult {
  const s = app.liveState;
  const perms = app.permissions;
  const roles = [...perms.roles].map((r) => app.t(`role.${r}`)).join(', ');
  return html`<header class="topbar">
    <div class="brand"><span class="logo">R</span><span class="brand-name">rembuk</span></div>
    <div class="plan">
      <div class="plan-title">${s?.cityName || app.masterplan || app.t('app.title')}</div>
      <div class="plan-sub">
        ${app.t('app.title')}${s && s.startYear ? html` · ${app.t('header.period', { start: s.startYear, end: s.endYear })}` : nothing}
      </div>
    </div>
    ${s ? html`<span class="status-badge status-${s.status}" data-testid="status">${app.t(`status.${s.status}`)}</span>` : nothing}
    <div class="spacer"></div>
    ${undoButton(app)}
    ${presenceBar(app)}
    <div class="me-box">
      <div class="me-name">${app.memberName(app.welcome?.user)}</div>
      <div class="me-role">${roles}${perms.opd ? ` · ${perms.opd}` : ''}</div>
    </div>
    <span class="conn conn-${app.connection}" title=${app.t(`conn.${app.connection}`)}><i></i>${app.t(`conn.${app.connection}`)}</span>
    ${accountButton(app)}
    <button class="btn ghost lang" data-testid="lang" @click=${() => app.setLang(app.lang === 'id' ? 'en' : 'id')}>
      ${app.lang === 'id' ? 'EN' : 'ID'}
    </button>
  </header>`;
}

function historyBar(app: App): TemplateResult {
  const latest = app.latestVersion;
  const value = app.history?.version ?? latest;
  const evs = app.history ? app.eventsAt(app.history.version) : [];
  const ev = evs[0] ?? app.events[app.events.length - 1];
  const who = ev ? app.memberName(ev.actor) : '';
  return html`<div class="historybar ${app.history ? 'active' : ''}">
    <span class="hb-label">${app.t('history.label')}</span>
    <input
      type="range"
      class="slider"
      data-testid="history-slider"
      aria-label=${app.t('history.label')}
      min="1"
      max=${Math.max(1, latest)}
      .value=${String(value)}
      ?disabled=${latest < 2}
      @input=${(e: Event) => app.showVersion(Number((e.target as HTMLInputElement).value))}
    />
    <span class="hb-version" data-testid="history-version">
      ${app.history
        ? app.t('history.at', { version: value, time: ev ? formatTime(ev.time, app.lang) : '', who })
        : html`${app.t('history.live')} · ${app.t('header.version', { version: latest })}`}
    </span>
    ${app.history
      ? html`<button class="btn small" data-testid="history-live" @click=${() => app.leaveHistory()}>${app.t('history.backToLive')}</button>`
      : nothing}
  </div>`;
}

function historyNote(app: App): TemplateResult | typeof nothing {
  if (!app.history) return nothing;
  const h = app.history;
  const text =
    h.loading && !h.state
      ? app.t('history.loading', { version: h.version })
      : app.t('history.viewing', { version: h.version, latest: app.latestVersion });
  return html`<div class="history-banner" data-testid="history-banner" title=${text}>
    <span class="hb-ro">${app.t('header.readonly')}</span>
    <span class="hb-text">${h.loading && !h.state ? text : app.t('history.short', { version: h.version, latest: app.latestVersion })}</span>
    ${h.changed.size > 0 ? html`<b>${app.t('history.changes', { count: h.changed.size })}</b>` : nothing}
  </div>`;
}

function commentCount(app: App): TemplateResult | typeof nothing {
  const open = app.state?.comments.filter((c) => !c.withdrawn && !c.resolved && !c.replyTo).length ?? 0;
  return html`<span class="tab-count ${open > 0 ? '' : 'zero'}" data-testid="open-comments">${open}</span>`;
}

function tabs(app: App): TemplateResult {
  return html`<nav class="tabs" role="tablist">
    ${TABS.map(
      (tab) => html`<button
        role="tab"
        class="tab ${app.tab === tab ? 'active' : ''}"
        data-tab=${tab}
        aria-selected=${app.tab === tab}
        @click=${() => app.setTab(tab)}
      >
        ${app.t(`tab.${tab}`)}${tab === 'comments' ? commentCount(app) : nothing}
      </button>`,
    )}
    ${historyNote(app)}
  </nav>`;
}

function sidebar(app: App): TemplateResult {
  const recent = app.events.slice(-40).reverse();
  const state = app.liveState;
  return html`<aside class="sidebar">
    <section class="card side-presence">
      <h3>${app.t('presence.here')}</h3>
      ${app.presence.length === 0
        ? html`<p class="muted small">${app.t('presence.alone')}</p>`
        : html`<ul class="people" data-testid="presence-list">
            ${app.presence.map(
              (m) => html`<li data-user=${m.user}>
                <span class="avatar sm" style="--c:${userColor(m.user)}">${initials(app.memberName(m.user))}</span>
                <div><div class="person">${app.memberName(m.user)}</div><div class="muted small">${focusLabel(app, m.focus)}</div></div>
              </li>`,
            )}
          </ul>`}
    </section>
    <section class="card side-activity">
      <h3>${app.t('activity.title')}</h3>
      ${recent.length === 0
        ? html`<p class="muted small">${app.t('activity.empty')}</p>`
        : html`<ol class="feed" data-testid="activity">
            ${recent.map(
              (e) => html`<li class="${app.history?.version === e.version ? 'current' : ''}" @click=${() => app.showVersion(e.version)} title=${app.t('activity.show')}>
                <span class="avatar xs" style="--c:${userColor(e.actor ?? '')}">${initials(app.memberName(e.actor))}</span>
                <div class="feed-body">
                  <div><b>${app.memberName(e.actor)}</b> ${describeEvent(e, state, app.lang)}</div>
                  <div class="muted small">v${e.version} · ${relativeTime(e.time, app.lang)}</div>
                </div>
              </li>`,
            )}
          </ol>`}
    </section>
  </aside>`;
}

function mainView(app: App): TemplateResult {
  switch (app.tab) {
    case 'overview':
      return overviewView(app);
    case 'programs':
      return programsView(app);
    case 'roadmap':
      return roadmapView(app);
    case 'budget':
      return budgetView(app);
    case 'activity':
      return activityView(app);
    case 'submission':
      return submissionView(app);
    case 'plan':
      return planView(app);
    case 'opds':
      return opdsView(app);
    case 'members':
      return membersView(app);
    case 'comments':
      return commentsView(app);
    case 'bimtek':
      return bimtekView(app);
  }
}

export function shell(app: App): TemplateResult {
  if (app.page === 'signin') return signinPage(app);
  if (app.page === 'invite') return invitePage(app);
  if (app.page === 'boot') return html`<div class="fatal"><div class="card loading">${app.t('app.loading')}</div></div>`;
  if (app.fatal) {
    return html`<div class="fatal"><div class="card"><h2>rembuk</h2><p>${app.fatal}</p></div></div>`;
  }
  const loading = app.serverState === null;
  return html`${header(app)} ${historyBar(app)}
    ${tabs(app)}
    <div class="layout">
      <main class="content">${loading ? html`<div class="card loading">${app.t('app.loading')}</div>` : mainView(app)}</main>
      ${sidebar(app)}
    </div>
    ${programDrawer(app)} ${commentsPanel(app)} ${accountPanel(app)}
    <div class="toasts">${app.toasts.map((x) => html`<div class="toast ${x.kind}" role="status">${x.text}</div>`)}</div>`;
}
