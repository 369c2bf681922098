// A narrative field (the vision, a mission, a strategic issue, a program's description): a
// textarea whose typing goes out as text operations in small batches (TextFields), which
// takes other people's operations live while keeping the local caret, and shows the others'
// carets and selections over the text with their name and colour.
import { html, nothing, noChange, type TemplateResult } from 'lit-html';
import { classMap } from 'lit-html/directives/class-map.js';
import { narrativeText } from '@rembuk/client';
import type { App, Focus } from '../app';
import { fieldError, userColor, watchers } from '../fields';
import { touches } from '../diff';
import './text.css';

export interface NarrativeOptions {
  key: string;
  focus: Focus;
  value: string;
  label?: string;
  rows?: number;
  className?: string;
  inputClass?: string;
  placeholder?: string;
  ariaLabel?: string;
  disabled?: boolean;
  /** Enter leaves the field (one-line texts such as a mission) instead of a new line. */
  enterLeaves?: boolean;
}

function focused(key: string): boolean {
  const el = document.activeElement as HTMLElement | null;
  return el?.dataset?.textField === key;
}

/** The text split at the other people's carets and selections, for the overlay. */
function caretsOverlay(app: App, key: string, text: string): TemplateResult | typeof nothing {
  const carets = app.texts.carets(key);
  if (carets.length === 0) return nothing;
  const chars = Array.from(text);
  type Mark = { at: number; kind: 'start' | 'end' | 'caret'; user: string; name: string };
  const marks: Mark[] = [];
  for (const c of carets) {
    const name = app.memberName(c.member.user);
    const [from, to] = c.anchor <= c.caret ? [c.anchor, c.caret] : [c.caret, c.anchor];
    if (from < to) {
      marks.push({ at: from, kind: 'start', user: c.member.user, name });
      marks.push({ at: to, kind: 'end', user: c.member.user, name });
    }
    marks.push({ at: c.caret, kind: 'caret', user: c.member.user, name });
  }
  marks.sort((a, b) => a.at - b.at);
  const parts: TemplateResult[] = [];
  let at = 0;
  const open = new Map<string, number>();
  const flushTo = (end: number) => {
    if (end <= at) return;
    const segment = chars.slice(at, end).join('');
    const selectedBy = [...open.keys()];
    parts.push(
      selectedBy.length > 0
        ? html`<span class="remote-selection" style="--c:${userColor(selectedBy[0])}">${segment}</span>`
        : html`<span>${segment}</span>`,
    );
    at = end;
  };
  for (const m of marks) {
    flushTo(m.at);
    if (m.kind === 'start') open.set(m.user, m.at);
    else if (m.kind === 'end') open.delete(m.user);
    else parts.push(html`<span class="remote-caret" data-user=${m.user} style="--c:${userColor(m.user)}"><span class="remote-caret-name">${m.name}</span></span>`);
  }
  flushTo(chars.length);
  return html`<div class="text-carets input" aria-hidden="true">${parts}&#8203;</div>`;
}

export function narrativeField(app: App, o: NarrativeOptions): TemplateResult {
  const shown = app.history ? o.value : app.texts.textOf(o.key, o.value);
  const open = () => {
    const server = app.serverState;
    if (!server) return;
    app.texts.open(o.key, narrativeText(server, o.key) ?? '', server.version);
  };
  return html`<div class=${classMap({
    field: true,
    narrative: true,
    changed: app.history !== null && touches(app.history.changed, o.key),
    'has-error': app.fieldErrors.has(o.key),
    [o.className ?? '']: Boolean(o.className),
  })}>
    ${o.label ? html`<label class="field-label">${o.label}</label>` : nothing}
    <div class="field-control text-control">
      <textarea
        class=${o.inputClass ?? 'input'}
        rows=${o.rows ?? 3}
        data-field=${o.key}
        data-text-field=${o.key}
        placeholder=${o.placeholder ?? ''}
        aria-label=${o.ariaLabel ?? o.label ?? nothing}
        .value=${focused(o.key) ? noChange : shown}
        ?disabled=${o.disabled || !app.editable}
        @focus=${(e: Event) => {
          open();
          app.beginEdit(o.key, o.focus);
          app.texts.sendPresence(o.key, e.target as HTMLTextAreaElement);
        }}
        @input=${(e: Event) => {
          open();
          app.texts.input(o.key, e.target as HTMLTextAreaElement);
        }}
        @keydown=${(e: KeyboardEvent) => {
          if (o.enterLeaves && e.key === 'Enter') {
            e.preventDefault();
            (e.target as HTMLTextAreaElement).blur();
          }
        }}
        @keyup=${(e: Event) => app.texts.sendPresence(o.key, e.target as HTMLTextAreaElement)}
        @click=${(e: Event) => app.texts.sendPresence(o.key, e.target as HTMLTextAreaElement)}
        @blur=${() => {
          app.texts.flush(o.key);
          app.endEdit(o.key);
        }}
      ></textarea>
      ${app.history ? nothing : caretsOverlay(app, o.key, shown)}
      ${watchers(app, o.focus)}
    </div>
    ${fieldError(app, o.key)}
  </div>`;
}
