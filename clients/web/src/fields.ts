// Editable fields bound to a field key (`program/p-1/title`, …): the value is not replaced
// while the user is typing in it; focus records the version the user saw and tells the room
// (presence); a change submits a command; a rejection shows under the field, with the
// conflict's current value and who set it.
import { html, nothing, noChange, type TemplateResult } from 'lit-html';
import { classMap } from 'lit-html/directives/class-map.js';
import type { Command } from '@rembuk/client';
import type { App, Focus } from './app';
import { touches } from './diff';

export interface FieldOptions<V> {
  key: string;
  focus: Focus;
  value: V;
  disabled?: boolean;
  /** The command for a new value, or null when nothing changes. */
  commit: (value: string) => Command | null;
  placeholder?: string;
  label?: string;
  className?: string;
  inputClass?: string;
  ariaLabel?: string;
}

function isEditing(key: string): boolean {
  const el = document.activeElement as HTMLElement | null;
  return el?.dataset?.field === key;
}

export function initials(name: string): string {
  const parts = name.replace(/^u-/, '').split(/[\s._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

const COLORS = ['#0f766e', '#b45309', '#7c3aed', '#be123c', '#1d4ed8', '#15803d', '#a21caf', '#c2410c'];
export function userColor(user: string): string {
  let h = 0;
  for (const c of user) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length];
}

/** Small avatars of the others who focus this field. */
export function watchers(app: App, focus: Focus): TemplateResult | typeof nothing {
  const others = app.othersAt(focus.entity, focus.field);
  if (others.length === 0) return nothing;
  return html`<span class="watchers">${others.map(
    (m) => html`<span class="watcher" style="--c:${userColor(m.user)}" title=${app.memberName(m.user)}
      >${app.memberName(m.user)}</span
    >`,
  )}</span>`;
}

function display(app: App, value: unknown): string {
  if (value === null || value === undefined || value === '') return app.t('field.empty');
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('startYear' in v && 'endYear' in v) return `${v.startYear}–${v.endYear}`;
    if ('amount' in v) return String(v.amount);
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  return String(value);
}

/** The rejection under a field. */
export function fieldError(app: App, key: string, onUseCurrent?: () => void): TemplateResult | typeof nothing {
  const err = app.fieldErrors.get(key);
  if (!err) return nothing;
  const c = err.conflict;
  return html`<div class="field-error" role="alert" data-error-for=${key}>
    <div class="field-error-text">${err.message}</div>
    ${c
      ? html`<div class="field-error-conflict" data-conflict>
          ${app.t('field.conflict', {
            value: display(app, c.currentValue),
            who: app.memberName(c.changedBy),
            version: c.changedAtVersion,
          })}
        </div>`
      : nothing}
    <div class="field-error-actions">
      ${c
        ? html`<button class="link" @click=${() => {
              app.dismissError(key);
              onUseCurrent?.();
            }}>${app.t('field.useCurrent')}</button>
            ${err.command ? html`<button class="link" @click=${() => void app.keepMine(key)}>${app.t('field.keepMine')}</button>` : nothing}`
        : html`<button class="link" @click=${() => app.dismissError(key)}>${app.t('field.dismiss')}</button>`}
    </div>
  </div>`;
}

function wrapClasses(app: App, key: string, extra?: string) {
  return classMap({
    field: true,
    changed: app.history !== null && touches(app.history.changed, key),
    'has-error': app.fieldErrors.has(key),
    pending: app.isPendingKey(key),
    ...(extra ? { [extra]: true } : {}),
  });
}

function resetTo(key: string, value: string) {
  return () => {
    const el = document.querySelector<HTMLInputElement>(`[data-field="${CSS.escape(key)}"]`);
    if (el) {
      el.value = value;
      el.blur();
    }
  };
}

/** A text (or number) input. */
export function textField(app: App, o: FieldOptions<string | number> & { type?: string; min?: number; max?: number }): TemplateResult {
  const value = String(o.value ?? '');
  return html`<div class=${wrapClasses(app, o.key, o.className)}>
    ${o.label ? html`<label class="field-label">${o.label}</label>` : nothing}
    <div class="field-control">
      <input
        class=${o.inputClass ?? 'input'}
        data-field=${o.key}
        type=${o.type ?? 'text'}
        min=${o.min ?? nothing}
        max=${o.max ?? nothing}
        aria-label=${o.ariaLabel ?? o.label ?? nothing}
        placeholder=${o.placeholder ?? ''}
        .value=${isEditing(o.key) ? noChange : value}
        ?disabled=${o.disabled || !app.editable}
        @focus=${() => app.beginEdit(o.key, o.focus)}
        @blur=${() => app.endEdit(o.key)}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') {
            (e.target as HTMLInputElement).value = value;
            (e.target as HTMLInputElement).blur();
          }
        }}
        @change=${(e: Event) => {
          const command = o.commit((e.target as HTMLInputElement).value);
          if (command) void app.submit(command, o.key);
        }}
      />
      ${watchers(app, o.focus)}
    </div>
    ${fieldError(app, o.key, resetTo(o.key, value))}
  </div>`;
}

/** A multi-line text. */
export function textArea(app: App, o: FieldOptions<string> & { rows?: number; enterCommits?: boolean }): TemplateResult {
  return html`<div class=${wrapClasses(app, o.key, o.className)}>
    ${o.label ? html`<label class="field-label">${o.label}</label>` : nothing}
    <div class="field-control">
      <textarea
        class=${o.inputClass ?? 'input'}
        rows=${o.rows ?? 3}
        @keydown=${(e: KeyboardEvent) => {
          if (o.enterCommits && e.key === 'Enter') {
            e.preventDefault();
            (e.target as HTMLTextAreaElement).blur();
          }
        }}
        data-field=${o.key}
        placeholder=${o.placeholder ?? ''}
        aria-label=${o.ariaLabel ?? o.label ?? nothing}
        .value=${isEditing(o.key) ? noChange : o.value}
        ?disabled=${o.disabled || !app.editable}
        @focus=${() => app.beginEdit(o.key, o.focus)}
        @blur=${() => app.endEdit(o.key)}
        @change=${(e: Event) => {
          const command = o.commit((e.target as HTMLTextAreaElement).value);
          if (command) void app.submit(command, o.key);
        }}
      ></textarea>
      ${watchers(app, o.focus)}
    </div>
    ${fieldError(app, o.key, resetTo(o.key, o.value))}
  </div>`;
}

/** A select. */
export function selectField(
  app: App,
  o: FieldOptions<string> & { options: { value: string; label: string; disabled?: boolean }[] },
): TemplateResult {
  return html`<div class=${wrapClasses(app, o.key, o.className)}>
    ${o.label ? html`<label class="field-label">${o.label}</label>` : nothing}
    <div class="field-control">
      <select
        class="input"
        data-field=${o.key}
        aria-label=${o.ariaLabel ?? o.label ?? nothing}
        ?disabled=${o.disabled || !app.editable}
        @focus=${() => app.beginEdit(o.key, o.focus)}
        @blur=${() => app.endEdit(o.key)}
        @change=${(e: Event) => {
          const command = o.commit((e.target as HTMLSelectElement).value);
          if (command) void app.submit(command, o.key);
        }}
      >
        ${o.value === '' ? html`<option value="" selected>—</option>` : nothing}
        ${o.options.map(
          (opt) => html`<option value=${opt.value} ?disabled=${opt.disabled} ?selected=${opt.value === o.value}>${opt.label}</option>`,
        )}
      </select>
      ${watchers(app, o.focus)}
    </div>
    ${fieldError(app, o.key)}
  </div>`;
}

/** A checkbox (commit gets "true"/"false"). */
export function checkField(app: App, o: FieldOptions<boolean>): TemplateResult {
  return html`<div class=${wrapClasses(app, o.key, o.className ?? 'check')}>
    <label class="check-label">
      <input
        type="checkbox"
        data-field=${o.key}
        aria-label=${o.ariaLabel ?? o.label ?? nothing}
        .checked=${o.value}
        ?disabled=${o.disabled || !app.editable}
        @focus=${() => app.beginEdit(o.key, o.focus)}
        @blur=${() => app.endEdit(o.key)}
        @change=${(e: Event) => {
          const command = o.commit(String((e.target as HTMLInputElement).checked));
          if (command) void app.submit(command, o.key);
        }}
      />
      ${o.label ? html`<span>${o.label}</span>` : nothing}
    </label>
    ${watchers(app, o.focus)} ${fieldError(app, o.key)}
  </div>`;
}
