// Comments on any entity (docs/commands.md, "Comments"): a button with the number of open
// threads beside each commentable thing, a side panel with the threads of one target (reply,
// resolve, add), and a tab with every thread of the masterplan.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { Comment, MasterplanState } from '@rembuk/client';
import type { App } from '../app';
import { fieldError, initials, userColor } from '../fields';
import { invalid, newId, onFormSubmit, requireText } from '../forms';

function visible(state: MasterplanState): Comment[] {
  return state.comments.filter((c) => !c.withdrawn);
}

/** Threads: top-level comments (open first, then newest), each with its replies in order. */
export function threadsOf(state: MasterplanState, target?: string): { root: Comment; replies: Comment[] }[] {
  const all = visible(state);
  const ids = new Set(all.map((c) => c.commentId));
  const roots = all.filter((c) => (target === undefined || c.target === target) && (!c.replyTo || !ids.has(c.replyTo)));
  roots.sort((a, b) => Number(a.resolved) - Number(b.resolved) || b.version - a.version);
  return roots.map((root) => ({
    root,
    replies: all.filter((c) => c.replyTo === root.commentId).sort((a, b) => a.version - b.version),
  }));
}

export function openThreads(state: MasterplanState, target: string): number {
  return threadsOf(state, target).filter((t) => !t.root.resolved).length;
}

/** What a comment target names, in words. */
export function targetLabel(app: App, target: string): string {
  const s = app.state;
  const parts = target.split('/');
  const [kind, id] = parts;
  switch (kind) {
    case 'masterplan':
      return id ? app.t(`comments.target.${id}`) : app.t('comments.target.masterplan');
    case 'mission': {
      const i = s?.missions.findIndex((m) => m.missionId === id) ?? -1;
      return app.t('comments.target.mission', { n: i >= 0 ? i + 1 : id });
    }
    case 'strategicIssue': {
      const text = s?.strategicIssues.find((x) => x.issueId === id)?.text ?? id;
      return app.t('comments.target.issue', { text: text.length > 60 ? `${text.slice(0, 57)}…` : text });
    }
    case 'readiness':
      return app.t('comments.target.readiness', { title: s?.readiness.find((x) => x.entryId === id)?.title ?? id });
    case 'opd': {
      const o = s?.opds.find((x) => x.opdId === id);
      return app.t('comments.target.opd', { name: o?.shortName || o?.name || id });
    }
    case 'program': {
      const title = s?.programs.find((p) => p.programId === id)?.title ?? id;
      if (parts[2] === 'indicator') return app.t('comments.target.indicator', { title, indicator: parts[3] });
      return app.t('comments.target.program', { title });
    }
    case 'member':
      return app.t('comments.target.member', { name: app.memberName(id) });
    default:
      return target;
  }
}

/** The button beside a commentable thing: open threads, and opens the panel. */
export function commentButton(app: App, target: string): TemplateResult {
  const s = app.state;
  const open = s ? openThreads(s, target) : 0;
  const total = s ? threadsOf(s, target).length : 0;
  return html`<button
    class="cbtn ${open > 0 ? 'has-open' : total > 0 ? 'has-closed' : ''}"
    data-comments=${target}
    title=${app.t('comments.button', { count: open })}
    aria-label=${app.t('comments.button', { count: open })}
    @click=${(e: Event) => {
      e.stopPropagation();
      app.openComments(target);
    }}
  >
    <svg class="cbtn-icon" viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3 3v-3h-.5A1.5 1.5 0 0 1 2 9.5z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/></svg><span class="cbtn-count">${open > 0 ? open : total > 0 ? '✓' : '+'}</span>
  </button>`;
}

function commentItem(app: App, c: Comment, reply: boolean): TemplateResult {
  const perms = app.permissions;
  return html`<div class="comment ${reply ? 'reply' : ''} ${c.resolved ? 'resolved' : ''}" data-comment=${c.commentId}>
    <span class="avatar sm" style="--c:${userColor(c.author)}">${initials(app.memberName(c.author))}</span>
    <div class="comment-body">
      <div class="comment-meta">
        <b>${app.memberName(c.author)}</b>
        <span class="muted small">v${c.version}</span>
        ${c.resolved ? html`<span class="pill ok small" data-resolved>${app.t('comments.resolved')}</span>` : nothing}
      </div>
      <div class="comment-text">${c.text}</div>
      ${!reply && !c.resolved && perms.canResolve(c) && app.editable
        ? html`<button class="link" data-action="resolve" @click=${() => void app.submit({ type: 'ResolveComment', commentId: c.commentId }, `comment/${c.commentId}`)}>
            ${app.t('comments.resolve')}
          </button>`
        : nothing}
      ${fieldError(app, `comment/${c.commentId}`)}
    </div>
  </div>`;
}

function replyForm(app: App, root: Comment): TemplateResult | typeof nothing {
  if (!app.permissions.canComment || !app.editable) return nothing;
  const key = `reply/${root.commentId}`;
  return html`<form class="reply-form" data-field=${key} @submit=${onFormSubmit(app, key, (v) => {
    const errors = {};
    requireText(errors, 'text', v.text);
    if (Object.keys(errors).length > 0) return { errors };
    return { command: { type: 'AddComment', commentId: newId('c'), target: root.target, text: v.text.trim(), replyTo: root.commentId } };
  })}>
    <details>
      <summary class="link">${app.t('comments.reply')}</summary>
      <textarea class="input" name="text" rows="2" aria-label=${app.t('comments.reply')} placeholder=${app.t('comments.replyPlaceholder')}></textarea>
      ${invalid(app, key, 'text')}
      <div class="form-actions"><button class="btn small primary" type="submit">${app.t('comments.send')}</button></div>
    </details>
    ${fieldError(app, key)}
  </form>`;
}

function thread(app: App, t: { root: Comment; replies: Comment[] }): TemplateResult {
  return html`<li class="thread ${t.root.resolved ? 'resolved' : ''}" data-thread=${t.root.commentId}>
    ${commentItem(app, t.root, false)} ${t.replies.map((r) => commentItem(app, r, true))} ${t.root.resolved ? nothing : replyForm(app, t.root)}
  </li>`;
}

function newCommentForm(app: App, target: string): TemplateResult | typeof nothing {
  if (!app.permissions.canComment) return html`<p class="muted small">${app.t('comments.cannot')}</p>`;
  const key = `comments/new/${target}`;
  return html`<form class="new-comment" data-field=${key} data-testid="new-comment" @submit=${onFormSubmit(app, key, (v) => {
    const errors = {};
    requireText(errors, 'text', v.text);
    if (Object.keys(errors).length > 0) return { errors };
    return { command: { type: 'AddComment', commentId: newId('c'), target, text: v.text.trim() } };
  })}>
    <textarea class="input" name="text" rows="3" aria-label=${app.t('comments.new')} placeholder=${app.t('comments.placeholder')} ?disabled=${!app.editable}></textarea>
    ${invalid(app, key, 'text')}
    <div class="form-actions"><button class="btn primary" type="submit" ?disabled=${!app.editable}>${app.t('comments.send')}</button></div>
    ${fieldError(app, key)}
  </form>`;
}

/** The side panel with the threads of `app.commentTarget`. */
export function commentsPanel(app: App): TemplateResult | typeof nothing {
  const target = app.commentTarget;
  const s = app.state;
  if (target === null || !s) return nothing;
  const threads = threadsOf(s, target);
  return html`<div class="drawer-backdrop" @click=${() => app.openComments(null)}></div>
    <aside class="drawer comments-drawer" data-testid="comments-panel" data-target=${target}>
      <div class="drawer-head">
        <div>
          <div class="eyebrow">${app.t('comments.title')}</div>
          <h2 class="drawer-title">${targetLabel(app, target)}</h2>
        </div>
        <button class="btn ghost" data-testid="close-comments" aria-label=${app.t('form.close')} @click=${() => app.openComments(null)}>✕</button>
      </div>
      ${threads.length === 0 ? html`<p class="muted">${app.t('comments.none')}</p>` : html`<ul class="threads">${threads.map((t) => thread(app, t))}</ul>`}
      ${newCommentForm(app, target)}
    </aside>`;
}

/** Every thread of the masterplan, open ones first, grouped by what they are about. */
export function commentsView(app: App): TemplateResult {
  const s = app.state!;
  const threads = threadsOf(s);
  const open = threads.filter((t) => !t.root.resolved);
  const resolved = threads.filter((t) => t.root.resolved);
  const group = (list: typeof threads) => {
    const byTarget = new Map<string, typeof threads>();
    for (const t of list) byTarget.set(t.root.target, [...(byTarget.get(t.root.target) ?? []), t]);
    return [...byTarget.entries()].map(
      ([target, ts]) => html`<section class="thread-group" data-target=${target}>
        <div class="thread-group-head">
          <button class="link target-link" @click=${() => app.openComments(target)}>${targetLabel(app, target)}</button>
        </div>
        <ul class="threads">${ts.map((t) => thread(app, t))}</ul>
      </section>`,
    );
  };
  return html`<div class="comments-view">
    <section class="card">
      <div class="card-head">
        <h2>${app.t('comments.open', { count: open.length })}</h2>
        ${commentButton(app, 'masterplan')}
      </div>
      <p class="muted small">${app.t('comments.intro')}</p>
      ${open.length === 0 ? html`<div class="empty">${app.t('comments.noneOpen')}</div>` : group(open)}
    </section>
    <section class="card">
      <div class="card-head"><h2>${app.t('comments.resolvedTitle', { count: resolved.length })}</h2></div>
      ${resolved.length === 0 ? html`<div class="empty">—</div>` : group(resolved)}
    </section>
  </div>`;
}
