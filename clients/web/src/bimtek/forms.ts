// The forms in a stage's panel with which the Tim Pelaksana records the stage: schedule,
// held date, attendance, experts and notes. Each form sends one command; the kernel judges it
// (a place or an online link, a stage scheduled before it is held, known members and OPDs), so
// its refusal shows under the form and the form keeps what the user typed.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { Command } from '@rembuk/client';
import type { App } from '../app';
import { fieldError } from '../fields';
import { bt, type BimtekKey } from './text';
import type { StageInfo } from './stages';

/** The field key a form's refusal is kept under (App.fieldErrors). */
export const formKey = (form: string, stage: number): string => `bimtek/${stage}/${form}`;

/** Sends the form's command; on ack a toast, on refusal the kernel's words under the form. */
function onSave(app: App, key: string, done: BimtekKey, build: (data: FormData) => Command) {
  return async (e: Event): Promise<void> => {
    e.preventDefault();
    const command = build(new FormData(e.currentTarget as HTMLFormElement));
    if (await app.submit(command, key, { fresh: true })) app.toast('ok', bt(app.lang, done));
  };
}

const text = (data: FormData, name: string): string => String(data.get(name) ?? '').trim();

function scheduleForm(app: App, s: StageInfo): TemplateResult {
  const key = formKey('schedule', s.number);
  return html`<form class="bimtek-form" data-field=${key} data-testid="bimtek-form-schedule" @submit=${onSave(app, key, 'form.scheduled', (d) => {
    const place = text(d, 'place');
    const onlineLink = text(d, 'onlineLink');
    return {
      type: 'ScheduleBimtekStage',
      stage: s.number,
      scheduledDate: text(d, 'scheduledDate'),
      ...(place ? { place } : {}),
      ...(onlineLink ? { onlineLink } : {}),
    };
  })}>
    <h3>${bt(app.lang, 'form.schedule')}</h3>
    <label>${bt(app.lang, 'schedule.scheduled')}<input class="input" type="date" name="scheduledDate" required value=${s.scheduledDate} /></label>
    <label>${bt(app.lang, 'schedule.place')}<input class="input" name="place" maxlength="500" value=${s.place} placeholder=${bt(app.lang, 'form.placeHint')} /></label>
    <label>${bt(app.lang, 'schedule.online')}<input class="input" type="url" name="onlineLink" maxlength="2000" value=${s.onlineLink} placeholder="https://" /></label>
    <button class="btn primary" type="submit">${bt(app.lang, 'form.saveSchedule')}</button>
    ${fieldError(app, key)}
  </form>`;
}

function heldForm(app: App, s: StageInfo): TemplateResult {
  const key = formKey('held', s.number);
  return html`<form class="bimtek-form" data-field=${key} data-testid="bimtek-form-held" @submit=${onSave(app, key, 'form.heldDone', (d) => ({
    type: 'RecordBimtekStageHeld',
    stage: s.number,
    heldDate: text(d, 'heldDate'),
  }))}>
    <h3>${bt(app.lang, 'form.held')}</h3>
    <label>${bt(app.lang, 'schedule.held')}<input class="input" type="date" name="heldDate" required value=${s.heldDate} /></label>
    <button class="btn primary" type="submit">${bt(app.lang, 'form.saveHeld')}</button>
    ${fieldError(app, key)}
  </form>`;
}

function attendanceForm(app: App, s: StageInfo): TemplateResult {
  const key = formKey('attendance', s.number);
  const members = app.state?.members ?? [];
  // A retired OPD may still have been present, so it stays listed while ticked.
  const opds = (app.state?.opds ?? []).filter((o) => !o.retired || s.opdsPresent.includes(o.opdId));
  const tick = (name: string, value: string, label: string, checked: boolean) =>
    html`<label class="bimtek-tick"><input type="checkbox" name=${name} value=${value} ?checked=${checked} /><span>${label}</span></label>`;
  return html`<form class="bimtek-form wide" data-field=${key} data-testid="bimtek-form-attendance" @submit=${onSave(app, key, 'form.attendanceDone', (d) => ({
    type: 'RecordBimtekAttendance',
    stage: s.number,
    members: d.getAll('members').map(String),
    opds: d.getAll('opds').map(String),
  }))}>
    <h3>${bt(app.lang, 'form.attendance')}</h3>
    <fieldset>
      <legend>${bt(app.lang, 'schedule.members')}</legend>
      <div class="bimtek-ticks">${members.map((m) => tick('members', m.userId, m.name || m.userId, s.membersPresent.includes(m.userId)))}</div>
    </fieldset>
    <fieldset>
      <legend>${bt(app.lang, 'schedule.opds')}</legend>
      <div class="bimtek-ticks">${opds.map((o) => tick('opds', o.opdId, o.shortName || o.name, s.opdsPresent.includes(o.opdId)))}</div>
    </fieldset>
    <button class="btn primary" type="submit">${bt(app.lang, 'form.saveAttendance')}</button>
    ${fieldError(app, key)}
  </form>`;
}

function expertsForm(app: App, s: StageInfo): TemplateResult {
  const key = formKey('experts', s.number);
  return html`<form class="bimtek-form" data-field=${key} data-testid="bimtek-form-experts" @submit=${onSave(app, key, 'form.expertsDone', (d) => ({
    type: 'SetBimtekExperts',
    stage: s.number,
    experts: text(d, 'experts').split('\n').map((x) => x.trim()).filter((x) => x !== ''),
  }))}>
    <h3>${bt(app.lang, 'schedule.experts')}</h3>
    <label>${bt(app.lang, 'form.expertsHint')}<textarea class="input" name="experts" rows="3" .value=${s.experts.join('\n')}></textarea></label>
    <button class="btn primary" type="submit">${bt(app.lang, 'form.saveExperts')}</button>
    ${fieldError(app, key)}
  </form>`;
}

function notesForm(app: App, s: StageInfo): TemplateResult {
  const key = formKey('notes', s.number);
  return html`<form class="bimtek-form wide" data-field=${key} data-testid="bimtek-form-notes" @submit=${onSave(app, key, 'form.notesDone', (d) => ({
    type: 'SetBimtekStageNotes',
    stage: s.number,
    notes: String(d.get('notes') ?? ''),
  }))}>
    <h3>${bt(app.lang, 'notes.title')}</h3>
    <label>${bt(app.lang, 'form.notesHint')}<textarea class="input" name="notes" rows="4" maxlength="50000" .value=${s.notes}></textarea></label>
    <button class="btn primary" type="submit">${bt(app.lang, 'form.saveNotes')}</button>
    ${fieldError(app, key)}
  </form>`;
}

/** The stage's forms, only for those the kernel lets record a stage (TP, admin). */
export function stageForms(app: App, s: StageInfo): TemplateResult | typeof nothing {
  if (!app.editable || !app.permissions.canEditMasterplan) return nothing;
  return html`<section class="card" data-testid="bimtek-forms">
    <div class="card-head"><h2>${bt(app.lang, 'form.title')}</h2></div>
    <div class="bimtek-forms">
      ${scheduleForm(app, s)} ${heldForm(app, s)} ${expertsForm(app, s)} ${attendanceForm(app, s)} ${notesForm(app, s)}
    </div>
  </section>`;
}
