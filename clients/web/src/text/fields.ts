// TextFields: the editor's narrative fields written together. One TextSession per field the
// user has typed in; the events the App receives drive them; the DOM of a focused field is
// patched in place (text and selection) instead of being re-rendered, so a remote edit never
// moves the local caret off its character.
//
// Typing is sent in batches: the first edit after a send starts a 250 ms timer, and
// everything typed until it fires goes as one EditText; a pause (blur) sends at once. Only one
// operation is in flight per field; the rest waits, composed (TextSession). Offline, the
// client library queues the submit and resends it with the same command id on reconnect.
import {
  codePointOfIndex,
  indexOfCodePoint,
  transformPosition,
  type PresenceMember,
  type StoredEvent,
  type TextOp,
} from '@rembuk/client';
import type { App } from '../app';
import { TextSession, moveSelection, type SentOp } from './session';

export const BATCH_MS = 250;

/** What a text field's presence carries (docs/protocol.md, "Text operations"). */
export interface TextFocus {
  entity: string;
  field: string;
  key: string;
  caret: number;
  anchor: number;
  version: number;
}

interface TextEditedPayload {
  field: string;
  ops: TextOp;
}

export class TextFields {
  private readonly sessions = new Map<string, TextSession>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  /** keystroke batch sent → its commit shown (ms), for the browser tests and the bench. */
  readonly latencies: number[] = [];
  private readonly sentAt = new Map<string, number>();

  constructor(private readonly app: App) {}

  session(key: string): TextSession | undefined {
    return this.sessions.get(key);
  }

  /** The text to show for `key`: the session's (with unsent typing), else `fallback`. */
  textOf(key: string, fallback: string): string {
    return this.sessions.get(key)?.text ?? fallback;
  }

  /** The session of `key`, started from the server state and the events after it. */
  open(key: string, serverText: string, serverVersion: number): TextSession {
    let s = this.sessions.get(key);
    if (s) return s;
    s = new TextSession(key, serverText, serverVersion, (op) => this.send(key, op), () => this.newCommandId());
    for (const e of this.app.events) if (e.version > serverVersion) this.feed(s, e);
    this.sessions.set(key, s);
    return s;
  }

  private newCommandId(): string {
    return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  }

  /** The user typed in `el` (an input event). */
  input(key: string, el: HTMLTextAreaElement | HTMLInputElement): void {
    const s = this.sessions.get(key);
    if (!s) return;
    s.edit(el.value);
    if (!this.timers.has(key)) this.timers.set(key, setTimeout(() => this.flush(key), BATCH_MS));
    this.sendPresence(key, el);
  }

  /** Sends what is pending now (a pause: blur, or the batch timer). */
  flush(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.sessions.get(key)?.flush();
  }

  private send(key: string, op: SentOp): void {
    const client = this.app.client;
    if (!client) return;
    this.sentAt.set(op.commandId, performance.now());
    void client
      .submit(this.app.masterplan, { type: 'EditText', field: key, ops: op.ops }, { commandId: op.commandId, baseVersion: op.baseVersion })
      .then((outcome) => {
        if (outcome.status === 'ack') return;
        const s = this.sessions.get(key);
        s?.refused();
        this.app.textRefused(key, outcome.code, outcome.message, outcome.violations);
        this.syncDom(key, null);
      });
  }

  /** Events in version order, as the App receives them. */
  receive(events: StoredEvent[]): void {
    for (const e of events) {
      for (const [key, s] of this.sessions) {
        const shown = this.feed(s, e);
        if (shown) this.syncDom(key, shown);
      }
      if (e.type === 'TextEdited' && e.commandId && this.sentAt.has(e.commandId)) {
        this.latencies.push(performance.now() - this.sentAt.get(e.commandId)!);
        this.sentAt.delete(e.commandId);
        // Our operation landed: what was typed meanwhile may go now (it waited for this).
        const key = (e.payload as unknown as TextEditedPayload).field;
        if (!this.timers.has(key)) this.sessions.get(key)?.flush();
      }
    }
  }

  private feed(s: TextSession, e: StoredEvent): TextOp | null {
    if (e.type === 'TextEdited' && (e.payload as unknown as TextEditedPayload).field === s.field) {
      return s.committed(e.version, e.commandId ?? '', (e.payload as unknown as TextEditedPayload).ops);
    }
    s.advance(e.version);
    return null;
  }

  /** After a fetch of the whole state: fields whose text changed as a whole start over. */
  resync(text: (key: string) => string | undefined, version: number): void {
    for (const [key, s] of this.sessions) {
      const server = text(key);
      if (server === undefined) {
        this.sessions.delete(key);
        continue;
      }
      if (s.version === version && (s.known !== server || s.stale)) {
        const lost = s.busy;
        s.reset(server, version);
        if (lost) this.app.toast('error', this.app.t('text.replaced'));
        this.syncDom(key, null);
      }
    }
  }

  /** Puts the session's text into the focused element, moving its selection over `op`. */
  private syncDom(key: string, op: TextOp | null): void {
    const s = this.sessions.get(key);
    const el = document.querySelector<HTMLTextAreaElement>(`[data-text-field="${CSS.escape(key)}"]`);
    if (!s || !el || el.value === s.text) {
      this.app.render();
      return;
    }
    const before = el.value;
    const selection = {
      start: codePointOfIndex(before, el.selectionStart ?? 0),
      end: codePointOfIndex(before, el.selectionEnd ?? 0),
    };
    const moved = op ? moveSelection(selection, op) : selection;
    el.value = s.text;
    if (document.activeElement === el) {
      el.setSelectionRange(indexOfCodePoint(s.text, moved.start), indexOfCodePoint(s.text, moved.end));
    }
    this.app.render();
  }

  /** Tells the room where the caret is (at most every BATCH_MS). */
  sendPresence(key: string, el: HTMLTextAreaElement | HTMLInputElement): void {
    if (this.presenceTimer) return;
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      const s = this.sessions.get(key);
      if (!s || document.activeElement !== el) return;
      const [entity, ...rest] = key.split('/');
      const isMasterplan = entity === 'masterplan';
      const focus: TextFocus = {
        entity: isMasterplan ? 'masterplan' : `${entity}/${rest[0]}`,
        field: isMasterplan ? rest.join('/') : rest.slice(1).join('/'),
        key,
        caret: codePointOfIndex(el.value, el.selectionEnd ?? 0),
        anchor: codePointOfIndex(el.value, el.selectionStart ?? 0),
        version: s.version,
      };
      // The caret is in the text with our unsent typing: that is what the others will see
      // once it lands, so it is sent with the version it will land after.
      this.app.client?.setFocus(this.app.masterplan, focus);
    }, BATCH_MS);
  }

  /** Other people's carets in `key`, in the session's current text (code points). */
  carets(key: string): { member: PresenceMember; caret: number; anchor: number }[] {
    const s = this.sessions.get(key);
    const out: { member: PresenceMember; caret: number; anchor: number }[] = [];
    for (const m of this.app.presence) {
      const f = m.focus as Partial<TextFocus> | null;
      if (!f || f.key !== key || typeof f.caret !== 'number') continue;
      let caret = f.caret;
      let anchor = typeof f.anchor === 'number' ? f.anchor : caret;
      // Move it over the operations committed after the version it was sent at.
      const events = this.app.events;
      let from = events.length;
      while (from > 0 && events[from - 1].version > (f.version ?? 0)) from--;
      for (const e of events.slice(from)) {
        if (e.type !== 'TextEdited') continue;
        if ((e.payload as unknown as TextEditedPayload).field !== key || e.actor === m.user) continue;
        caret = transformPosition(caret, (e.payload as unknown as TextEditedPayload).ops);
        anchor = transformPosition(anchor, (e.payload as unknown as TextEditedPayload).ops);
      }
      const length = s ? [...s.text].length : Infinity;
      out.push({ member: m, caret: Math.min(caret, length), anchor: Math.min(anchor, length) });
    }
    return out;
  }
}

