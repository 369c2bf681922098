// The editor's state and data flow.
//
// What the page shows is `GET /api/masterplans/{id}` (the server's canonical state) with the
// pending commands of @rembuk/client laid over it (optimistic), or, while the history slider
// is away from "now", the state `?at=` that version (read-only, with the changes of that
// version highlighted). The state is fetched on open; after that, text operations
// (`TextEdited`, the bulk of the traffic while people write) are applied to it in place, and
// only another kind of event, or a gap, fetches the state again (coalesced: at most one
// request in flight, then one more if the version moved on). Other events are not folded
// client-side because the kernel's fold (apply.cpp) is the only definition of the state. The
// events also feed the narrative fields being written (text/fields.ts), the activity feed
// and the history slider.
import {
  RembukClient,
  RembukHttp,
  applyPending,
  applyTextToState,
  narrativeText,
  commandFieldKeys,
  type Command,
  type ConflictDetail,
  type ConnectionStatus,
  type MasterplanState,
  type PendingCommand,
  type PresenceMember,
  type StoredEvent,
  type TextOp,
  type Violation,
  type WelcomeMessage,
} from '@rembuk/client';
import { changedKeys } from './diff';
import { lastUndoable, type UndoCandidate } from './undo';
import { pillarsFor, type PillarInfo } from './dimensions';
import { loadLang, saveLang, t, type Lang } from './i18n';
import { Permissions } from './permissions';
import { TextFields } from './text/fields';

export type Tab =
  | 'overview'
  | 'plan'
  | 'programs'
  | 'roadmap'
  | 'budget'
  | 'opds'
  | 'members'
  | 'comments'
  | 'activity'
  | 'submission'
  | 'bimtek';
export const TABS: Tab[] = ['overview', 'plan', 'programs', 'roadmap', 'budget', 'opds', 'members', 'comments', 'activity', 'submission', 'bimtek'];

export interface FieldError {
  code: string;
  message: string;
  conflict?: ConflictDetail;
  /** The command that was refused, to retry it on the current version. */
  command?: Command;
}

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'ok';
  text: string;
}

export interface HistoryView {
  version: number;
  state: MasterplanState | null;
  changed: Set<string>;
  loading: boolean;
}

export interface Focus {
  entity: string;
  field?: string;
}

export class App {
  lang: Lang = loadLang();
  tab: Tab = 'overview';
  readonly masterplanParam: string | null;
  masterplan = '';
  token: string;
  client: RembukClient | null = null;
  http: RembukHttp;
  welcome: WelcomeMessage | null = null;
  connection: ConnectionStatus = 'idle';
  fatal: string | null = null;
  serverState: MasterplanState | null = null;
  pending: PendingCommand[] = [];
  presence: PresenceMember[] = [];
  events: StoredEvent[] = [];
  fieldErrors = new Map<string, FieldError>();
  toasts: Toast[] = [];
  history: HistoryView | null = null;
  selectedProgram: string | null = null;
  creatingProgram = false;
  coverage: unknown = null;
  /**
   * The `document` view's dimensions (names of plugin pillars and their elements, which the
   * server knows from its plugin host), fetched again only when the enabled plugins change.
   */
  pillarCatalogue: unknown = null;
  private pillarCatalogueKey: string | null = null;
  /** Projection views by name, as last fetched for the live state (with their version). */
  views = new Map<string, { version: number; body: unknown }>();
  /** Views the server answered 501 for (computed client-side meanwhile). */
  missingViews = new Set<string>();
  filter = { text: '', dimension: '' };
  lastSubmitViolations: Violation[] = [];
  /** Client-side validation of the add forms: form key → field → i18n key of the message. */
  formErrors = new Map<string, Record<string, string>>();
  /** The comment target whose threads the comments panel shows (null: closed). */
  commentTarget: string | null = null;
  /** The narrative fields being written together. */
  readonly texts = new TextFields(this);
  private readonly focusBase = new Map<string, number>();
  private fetching = false;
  private refetch = false;
  private toastCounter = 0;
  private renderScheduled = false;
  private historyTimer: ReturnType<typeof setTimeout> | null = null;
  private historyRequest = 0;
  private cache = new Map<number, MasterplanState>();

  constructor(
    private readonly onRender: (app: App) => void,
    location: Location,
  ) {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    this.token = params.get('token') ?? sessionStorage.getItem('rembuk.token') ?? '';
    if (params.get('token')) sessionStorage.setItem('rembuk.token', this.token);
    this.masterplanParam = params.get('masterplan');
    const lang = params.get('lang');
    if (lang === 'id' || lang === 'en') this.lang = lang;
    this.http = new RembukHttp({ baseUrl: '', token: () => this.token });
  }

  // ─────────────────────────────── rendering ───────────────────────────────

  render(): void {
    if (this.renderScheduled) return;
    this.renderScheduled = true;
    requestAnimationFrame(() => {
      this.renderScheduled = false;
      this.onRender(this);
    });
  }

  t(key: string, params?: Record<string, string | number>): string {
    return t(this.lang, key, params);
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    saveLang(lang);
    document.documentElement.lang = lang;
    this.render();
  }

  setTab(tab: Tab): void {
    this.tab = tab;
    this.render();
  }

  // ─────────────────────────────── state ───────────────────────────────

  /** Pending commands not yet visible in the fetched state. */
  private unconfirmed(): PendingCommand[] {
    const v = this.serverState?.version ?? 0;
    return this.pending.filter((p) => !(p.state === 'acked' && (p.ackVersion ?? 0) <= v));
  }

  /** The live state with pending commands applied (what the editor shows "now"). */
  get liveState(): MasterplanState | null {
    if (this.serverState === null) return null;
    return applyPending(this.serverState, this.unconfirmed());
  }

  /** What the page shows: the history state, or the live one. */
  get state(): MasterplanState | null {
    if (this.history) return this.history.state ?? this.liveState;
    return this.liveState;
  }

  get latestVersion(): number {
    return Math.max(this.serverState?.version ?? 0, this.client?.version(this.masterplan) ?? 0);
  }

  get permissions(): Permissions {
    const actor = this.welcome ? { user: this.welcome.user, roles: this.welcome.roles, opd: this.welcome.opd } : null;
    return new Permissions(actor, this.serverState);
  }

  /** Editing is possible: live (not history), connected state loaded, role allows. */
  get editable(): boolean {
    return this.history === null && this.serverState !== null;
  }

  get pillars(): PillarInfo[] {
    return pillarsFor(this.state?.programs ?? [], this.pillarCatalogue ?? this.coverage);
  }

  memberName(userId: string | undefined): string {
    if (!userId) return '—';
    const m = (this.serverState ?? this.state)?.members.find((x) => x.userId === userId);
    return m?.name ?? userId;
  }

  isPendingKey(key: string): boolean {
    return this.unconfirmed().some((p) => p.state !== 'acked' && commandFieldKeys(p.command).includes(key));
  }

  // ─────────────────────────────── startup ───────────────────────────────

  async start(): Promise<void> {
    if (!this.token) {
      this.fatal = this.t('error.noToken');
      this.render();
      return;
    }
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
    const client = new RembukClient({ url, token: () => this.token });
    this.client = client;
    client.on('status', (s) => {
      this.connection = s.status;
      this.render();
    });
    client.on('welcome', (w) => {
      this.welcome = w;
      this.render();
    });
    client.on('events', (m) => {
      if (m.masterplan !== this.masterplan) return;
      if (m.events.length > 0) this.events.push(...m.events);
      this.texts.receive(m.events);
      if (!this.fetching) {
        if (!this.bringForward(m.events)) this.scheduleFetch();
      } else if (m.events.some((e) => e.type !== 'TextEdited')) {
        this.refetch = true;
      }
      this.render();
    });
    client.on('pending', (p) => {
      if (p.masterplan !== this.masterplan) return;
      this.pending = p.pending;
      this.render();
    });
    client.on('presence', (p) => {
      if (p.masterplan !== this.masterplan) return;
      this.presence = p.members;
      this.render();
    });
    client.on('error', (e) => {
      if (e.code === 'invalid_token' || e.code === 'token_expired') this.fatal = this.t('error.token', { message: e.message });
      else this.toast('error', `${e.code}: ${e.message}`);
      this.render();
    });
    try {
      this.welcome = await client.connect();
    } catch (error) {
      this.fatal = this.t('error.token', { message: (error as Error).message });
      this.render();
      return;
    }
    this.masterplan = this.masterplanParam ?? this.welcome.masterplans?.[0] ?? '';
    if (!this.masterplan) {
      const list = await this.http.masterplans();
      if (list.ok && list.body.masterplans.length > 0) this.masterplan = list.body.masterplans[0].id;
    }
    if (!this.masterplan) {
      this.fatal = this.t('error.noMasterplan');
      this.render();
      return;
    }
    await this.fetchState();
    client.subscribe(this.masterplan).catch((error: Error) => {
      this.fatal = error.message;
      this.render();
    });
    this.render();
  }

  /**
   * Applies `events` (in version order) to the fetched state in place when they are text
   * operations following it without a gap; false when the state must be fetched instead.
   */
  private bringForward(events: StoredEvent[]): boolean {
    let state = this.serverState;
    if (state === null) return false;
    let current = true;
    for (const e of events) {
      if (e.version <= state.version) continue;
      if (e.version !== state.version + 1 || e.type !== 'TextEdited') {
        current = false;
        break;
      }
      const p = e.payload as { field: string; ops: TextOp };
      state = { ...applyTextToState(state, p.field, p.ops), version: e.version };
    }
    this.serverState = state;
    return current;
  }

  /** An EditText was refused: shown under its field (the field starts over). */
  textRefused(key: string, code: string, message: string, violations: Violation[]): void {
    this.showReject({ type: 'EditText', field: key, ops: [] }, code, message, violations, key);
    this.scheduleFetch();
  }

  private scheduleFetch(): void {
    if (this.fetching) {
      this.refetch = true;
      return;
    }
    void this.fetchState();
  }

  private async fetchState(): Promise<void> {
    this.fetching = true;
    let rounds = 0;
    try {
      do {
        this.refetch = false;
        const r = await this.http.state(this.masterplan);
        if (r.ok) {
          if (this.serverState === null || r.body.version >= this.serverState.version) {
            this.serverState = r.body.state;
            this.serverState.version = r.body.version;
            const server = this.serverState;
            this.texts.resync((key) => narrativeText(server, key), r.body.version);
            // Text operations received meanwhile are applied in place; another event after
            // the fetched version needs one more fetch.
            if (!this.bringForward(this.events.filter((e) => e.version > r.body.version))) this.refetch = true;
            void this.fetchViews(r.body.version);
          }
        } else if (r.status === 404) {
          this.fatal = this.t('error.notFound', { id: this.masterplan });
        } else {
          this.toast('error', this.t('error.fetch', { status: r.status, error: r.error }));
        }
        this.render();
        rounds += 1;
        const behind = this.client !== null && this.serverState !== null && this.client.version(this.masterplan) > this.serverState.version;
        if (!this.refetch && !behind) break;
        // The HTTP state may trail the live events by a moment: retry, gently, a few times.
        if (!this.refetch) await new Promise((r) => setTimeout(r, Math.min(500, 25 * rounds)));
      } while (rounds < 20);
    } finally {
      this.fetching = false;
    }
  }

  /**
   * The projections' views (coverage: pillars and the submission gate; budget) for the live
   * version. A view that answers 501 (not built yet) is computed client-side from the state
   * instead, and not asked again.
   */
  private async fetchViews(version: number): Promise<void> {
    void this.fetchPillarCatalogue(version);
    await Promise.all(
      (['coverage', 'budget'] as const)
        .filter((name) => !this.missingViews.has(name))
        .map(async (name) => {
          const r = await this.http.view(this.masterplan, name, { at: version });
          if (r.ok) {
            // The server wraps a view as {masterplan, view, data} (docs/protocol.md).
            const wrapped = r.body as { data?: unknown } | null;
            const body = wrapped && typeof wrapped === 'object' && 'data' in wrapped ? wrapped.data : r.body;
            const current = this.views.get(name);
            if (!current || current.version <= version) this.views.set(name, { version, body });
            if (name === 'coverage') this.coverage = body;
          } else if (r.status === 501 || r.status === 404) {
            this.missingViews.add(name);
          }
        }),
    );
    this.render();
  }

  private async fetchPillarCatalogue(version: number): Promise<void> {
    const key = JSON.stringify(this.serverState?.plugins ?? []);
    if (key === this.pillarCatalogueKey || this.missingViews.has('document')) return;
    this.pillarCatalogueKey = key;
    const r = await this.http.view(this.masterplan, 'document', { at: version });
    if (r.ok) {
      const wrapped = r.body as { data?: { dimensions?: unknown } } | null;
      const body = wrapped?.data ?? (r.body as { dimensions?: unknown } | null);
      this.pillarCatalogue = body && typeof body === 'object' ? { dimensions: body.dimensions } : null;
      this.render();
    } else if (r.status === 501 || r.status === 404) {
      this.missingViews.add('document');
    } else {
      this.pillarCatalogueKey = null; // try again with the next version
    }
  }

  /** A server view matching exactly what the page shows (live, nothing pending), or null. */
  view<T>(name: string): T | null {
    const v = this.views.get(name);
    if (!v || this.history !== null || this.serverState === null) return null;
    if (v.version !== this.serverState.version || this.unconfirmed().length > 0) return null;
    return v.body as T;
  }

  // ─────────────────────────────── editing ───────────────────────────────

  /** Called when an input gains focus: remember the version the user saw, tell the room. */
  beginEdit(key: string, focus: Focus): void {
    if (!this.focusBase.has(key)) this.focusBase.set(key, this.serverState?.version ?? 0);
    this.client?.setFocus(this.masterplan, focus);
  }

  endEdit(key: string): void {
    this.focusBase.delete(key);
    this.client?.setFocus(this.masterplan, this.restingFocus());
  }

  /** Where the user is when not in a field: the open program, or nowhere in particular. */
  private restingFocus(): Focus | null {
    return this.selectedProgram ? { entity: `program/${this.selectedProgram}` } : null;
  }

  /** Who else focuses `entity` (and `field`, when given). */
  othersAt(entity: string, field?: string): PresenceMember[] {
    return this.presence.filter((m) => {
      const f = m.focus as Focus | null;
      if (!f || typeof f !== 'object') return false;
      return f.entity === entity && (field === undefined || f.field === field);
    });
  }

  /**
   * Submits a command edited in field `key` (its base version is the version the user saw
   * when they started editing it). A rejection is shown next to the field.
   */
  async submit(command: Command, key?: string, opts: { fresh?: boolean } = {}): Promise<boolean> {
    if (!this.client) return false;
    const keys = key ? [key] : commandFieldKeys(command);
    for (const k of keys) this.fieldErrors.delete(k);
    const base = opts.fresh ? this.serverState?.version : key ? this.focusBase.get(key) ?? this.serverState?.version : this.serverState?.version;
    if (key) this.focusBase.set(key, this.serverState?.version ?? 0);
    this.render();
    const outcome = await this.client.submit(this.masterplan, command, { baseVersion: base });
    if (outcome.status === 'ack') {
      if (command.type === 'SubmitMasterplan') this.lastSubmitViolations = [];
      return true;
    }
    this.showReject(command, outcome.code, outcome.message, outcome.violations, key);
    return false;
  }

  private showReject(command: Command, code: string, message: string, violations: Violation[], key?: string): void {
    const keys = key ? [key] : commandFieldKeys(command);
    if (command.type === 'SubmitMasterplan') this.lastSubmitViolations = violations;
    const first = violations[0];
    const conflict = violations.find((v) => v.code === 'conflict')?.detail as ConflictDetail | undefined;
    const text = conflict ? this.conflictText(conflict) : this.rejectText(code, violations, message);
    const err: FieldError = { code: first?.code ?? code, message: text, conflict, command };
    const shown = keys.length > 0 && keys.some((k) => document.querySelector(`[data-field="${CSS.escape(k)}"]`));
    for (const k of keys) this.fieldErrors.set(k, err);
    if (!shown) this.toast('error', text);
    this.render();
  }

  /** The rejection in the user's language: the kernel's messages, or ours by code. */
  rejectText(code: string, violations: Violation[], fallback: string): string {
    const parts = violations.map((v) => {
      const own = this.lang === 'id' ? v.messageId : v.messageEn;
      return own || this.codeText(v.code) || v.code;
    });
    if (parts.length > 0) return parts.join(' · ');
    return this.codeText(code) || fallback;
  }

  /** "Judul telah diubah oleh Suardi (versi 222) setelah Anda mulai mengedit (versi 221)." */
  conflictText(c: ConflictDetail): string {
    const parts = c.field.split('/');
    const leaf = parts[0] === 'program' ? (parts[2] === 'indicator' ? 'indicator' : parts[2]) : parts[parts.length - 1];
    const label = this.t(`fields.${leaf}`);
    const field = label.startsWith('fields.') ? c.field : label;
    return this.t('code.conflict.detail', {
      field: field.charAt(0).toUpperCase() + field.slice(1),
      who: this.memberName(c.changedBy),
      version: c.changedAtVersion,
      base: c.baseVersion,
    });
  }

  codeText(code: string): string {
    const key = `code.${code}` as Parameters<typeof t>[1];
    const text = t(this.lang, key);
    return text === key ? '' : text;
  }

  dismissError(key: string): void {
    this.fieldErrors.delete(key);
    this.render();
  }

  /** Conflict resolution: submit the refused command again on the current version. */
  async keepMine(key: string): Promise<void> {
    const err = this.fieldErrors.get(key);
    if (!err?.command) return;
    this.fieldErrors.delete(key);
    await this.submit(err.command, key, { fresh: true });
  }

  toast(kind: Toast['kind'], text: string): void {
    const id = ++this.toastCounter;
    this.toasts = [...this.toasts.slice(-3), { id, kind, text }];
    setTimeout(() => {
      this.toasts = this.toasts.filter((x) => x.id !== id);
      this.render();
    }, kind === 'error' ? 8000 : 4000);
    this.render();
  }

  // ─────────────────────────────── history ───────────────────────────────

  /** Moves the slider to `version` (the latest = live). */
  showVersion(version: number): void {
    if (version >= this.latestVersion) {
      this.history = null;
      this.render();
      return;
    }
    const cached = this.cache.get(version);
    this.history = { version, state: cached ?? this.history?.state ?? null, changed: this.history?.changed ?? new Set(), loading: true };
    this.render();
    if (this.historyTimer) clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => void this.loadHistory(version), 60);
  }

  private async stateAt(version: number): Promise<MasterplanState | null> {
    if (version <= 0) return null;
    const cached = this.cache.get(version);
    if (cached) return cached;
    const r = await this.http.state(this.masterplan, version);
    if (!r.ok) return null;
    const state = { ...r.body.state, version: r.body.version };
    this.cache.set(version, state);
    if (this.cache.size > 200) this.cache.delete(this.cache.keys().next().value as number);
    return state;
  }

  private async loadHistory(version: number): Promise<void> {
    const request = ++this.historyRequest;
    const [state, before] = await Promise.all([this.stateAt(version), this.stateAt(version - 1)]);
    if (request !== this.historyRequest || this.history === null) return;
    if (state === null) {
      this.toast('error', this.t('history.failed', { version }));
      this.history = null;
    } else {
      this.history = { version, state, changed: changedKeys(before, state), loading: false };
    }
    this.render();
  }

  leaveHistory(): void {
    this.history = null;
    this.render();
  }

  eventsAt(version: number): StoredEvent[] {
    return this.events.filter((e) => e.version === version);
  }

  // ─────────────────────────────── forms, comments, undo ───────────────────────────────

  /** Sets (or, with an empty record, clears) the client-side errors of an add form. */
  setFormErrors(form: string, errors: Record<string, string>): boolean {
    if (Object.keys(errors).length === 0) this.formErrors.delete(form);
    else this.formErrors.set(form, errors);
    this.render();
    return Object.keys(errors).length === 0;
  }

  openComments(target: string | null): void {
    this.commentTarget = target;
    this.render();
  }

  /** The user's own last edit that Undo would still accept, or null. */
  get undoCandidate(): UndoCandidate | null {
    if (!this.welcome || this.history !== null) return null;
    return lastUndoable(this.events, this.welcome.user);
  }

  async undoLast(): Promise<void> {
    const candidate = this.undoCandidate;
    if (!candidate) return;
    const ok = await this.submit({ type: 'Undo', commandId: candidate.commandId }, 'undo');
    if (ok) this.toast('ok', this.t('undo.done'));
  }

  // ─────────────────────────────── program form ───────────────────────────────

  openProgram(programId: string | null): void {
    this.selectedProgram = programId;
    this.creatingProgram = false;
    this.client?.setFocus(this.masterplan, this.restingFocus());
    this.render();
  }

  newProgram(): void {
    this.creatingProgram = true;
    this.selectedProgram = null;
    this.render();
  }

  closeDrawer(): void {
    this.selectedProgram = null;
    this.creatingProgram = false;
    this.client?.setFocus(this.masterplan, null);
    this.render();
  }
}
