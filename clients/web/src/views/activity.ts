// The full activity log (every event of the masterplan), newest first; a row moves the
// history slider to its version.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app';
import { describeEvent } from '../describe';
import { initials, userColor } from '../fields';
import { formatTime } from '../format';

export function activityView(app: App): TemplateResult {
  const events = [...app.events].reverse();
  const state = app.liveState;
  return html`<section class="card">
    <div class="card-head"><h2>${app.t('activity.all')}</h2><span class="muted small">${events.length}</span></div>
    ${events.length === 0
      ? html`<div class="empty">${app.t('activity.empty')}</div>`
      : html`<table class="grid activity-table">
          <colgroup><col style="width:70px" /><col style="width:140px" /><col style="width:200px" /><col /></colgroup>
          <tbody>
            ${events.slice(0, 500).map(
              (e) => html`<tr class="${app.history?.version === e.version ? 'current' : ''}" @click=${() => app.showVersion(e.version)}>
                <td class="num muted">v${e.version}</td>
                <td class="muted small">${formatTime(e.time, app.lang)}</td>
                <td><span class="avatar xs" style="--c:${userColor(e.actor ?? '')}">${initials(app.memberName(e.actor))}</span> ${app.memberName(e.actor)}</td>
                <td>${describeEvent(e, state, app.lang)}${e.commandId ? nothing : nothing}</td>
              </tr>`,
            )}
          </tbody>
        </table>`}
  </section>`;
}
