// The add forms of the masterplan screens (missions, issues, readiness, OPDs, members,
// comments): read the form, validate in the browser first (messages under the fields, in
// the user's language), then submit one command; the server's refusal shows under the form
// (`fieldError`), and the form is cleared only once the command was accepted.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { Command } from '@rembuk/client';
import type { App } from './app';

/** Field → i18n key of what is wrong with it. */
export type Errors = Record<string, string>;

export type FormResult = { errors: Errors } | { command: Command };

/** The ids the server accepts for entities (docs/commands.md, "Ids"). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** A fresh client-made id: `prefix-<time><random>`, unique enough within a masterplan. */
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** `Dinas Pariwisata` → `dinas-pariwisata`: an id proposed from a name. */
export function slugId(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export function requireText(errors: Errors, field: string, value: string | undefined): void {
  if (!value || value.trim() === '') errors[field] = 'valid.required';
}

/** A whole number, or undefined (with an error) when `value` is not one. */
export function wholeNumber(errors: Errors, field: string, value: string | undefined, opts: { required?: boolean } = {}): number | undefined {
  const text = (value ?? '').trim();
  if (text === '') {
    if (opts.required) errors[field] = 'valid.required';
    return undefined;
  }
  const n = Number(text.replace(',', '.'));
  if (!Number.isFinite(n)) {
    errors[field] = 'valid.number';
    return undefined;
  }
  return n;
}

/** A submit handler for `<form data-field=key>`: validate, submit, reset on success. */
export function onFormSubmit(app: App, key: string, build: (values: Record<string, string>) => FormResult) {
  return async (e: Event): Promise<void> => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const values: Record<string, string> = {};
    for (const [name, value] of new FormData(form)) values[name] = String(value);
    const result = build(values);
    if ('errors' in result) {
      app.setFormErrors(key, result.errors);
      return;
    }
    app.setFormErrors(key, {});
    const ok = await app.submit(result.command, key, { fresh: true });
    if (ok) {
      form.reset();
      form.querySelector<HTMLDetailsElement>('details')?.removeAttribute('open');
    }
  };
}

/** The browser-side error of one field of an add form. */
export function invalid(app: App, form: string, field: string): TemplateResult | typeof nothing {
  const key = app.formErrors.get(form)?.[field];
  if (!key) return nothing;
  return html`<div class="inline-error" role="alert" data-invalid=${field}>${app.t(key)}</div>`;
}

/** Sets a validation error on a live field (its command is not sent) and returns null. */
export function refuseField(app: App, key: string, messageKey: string, params?: Record<string, string | number>): null {
  app.fieldErrors.set(key, { code: 'invalid', message: app.t(messageKey, params) });
  app.render();
  return null;
}
