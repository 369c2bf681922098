// The editor's state and data flow.
//
// What the page shows is the masterplan's canonical state (`GET /api/masterplans/{id}`) with
// the pending commands of @rembuk/client laid over it (optimistic), or, while the history
// slider is away from "now", the state `?at=` that version (read-only, with the changes of
// that version highlighted). The state is fetched once on open; after that every live event
// brings it forward in place: @rembuk/client's applyEvent folds it exactly as the kernel does
// (the two folds run the same cases, tests/data/fold-cases.json), text operations included.
// Only a gap in the versions, or an event this build does not fold (a newer type or schema
// version), fetches the whole state again (coalesced: at most one request in flight, then one
// more if the version moved on). So a remote edit costs its event, not a state of hundreds of
// kB per editor. The projections' views (budget, coverage) are asked again only while a tab
// that shows them is open. The events also feed the narrative fields being written
// (text/fields.ts), the activity feed and the history slider.
import {
  RembukClient,
  RembukHttp,
  applyEvent,
  applyPending,
  narrativeText,
  commandFieldKeys,
  type Command,
  type ConflictDetail,
  type ConnectionStatus,
  type MasterplanState,
  type PendingCommand,
  type PresenceMember,
  type StoredEvent,
  type Violation,
  type WelcomeMessage,
} from '@rembuk/client';
import { changedKeys } from './diff';
import { lastUndoable, type UndoCandidate } from './undo';
import { pillarsFor, type PillarInfo } from './dimensions';
import { loadLang, saveLang, t, type Lang } from './i18n';
import { Permissions } from './permissions';
import { TextFields } from './text/fields';
import { Session, type AuthFailure, type EndReason, type SignIn } from './session';

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
/** The tabs that show the projections' views (budget, coverage). */
const VIEW_TABS: ReadonlySet<Tab> = new Set(['budget', 'submission']);

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

/** What the page shows: the editor, the sign-in page or an invitation. */
export type Page = 'boot' | 'signin' | 'invite' | 'editor';

/** `GET /api/invitations/{code}`: what the invitation page shows. */
export interface InvitationInfo {
  status: 'pending' | 'used' | 'withdrawn' | 'expired';
  kind?: string;
  role: string;
  opd?: string;
  masterplan?: string;
  cityName?: string;
  user?: string;
  expiresAt: string;
}

/** An invitation as the Members tab lists it (never its code). */
export interface Invitation {
  id: string;
  kind?: string;
  role: string;
  opd?: string;
  masterplan?: string;
  invitedBy?: string;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'used' | 'withdrawn' | 'expired';
  user?: string;
}

/** One sign-in session of the user (`GET /api/auth/sessions`). */
export interface SessionInfo {
  id: string;
  active: boolean;
  current: boolean;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  endedAt?: string;
  clientAddress?: string;
  userAgent?: string;
}

export interface AccountInfo {
  user: string;
  displayName: string;
  disabled?: boolean;
}

export class App {
  lang: Lang = loadLang();
  tab: Tab = 'overview';
  masterplanParam: string | null;
  masterplan = '';
  /** A token from the URL (`#token=`: service tokens, development); '' when signed in. */
  token: string;
  page: Page = 'boot';
  /** The signed-in person's session (null with a `#token=` token). */
  session: Session | null = null;
  /** What the sign-in page says first (an i18n key): why the user is there. */
  notice: string | null = null;
  /** The sign-in page's or invitation page's error, already in words. */
  authError: string | null = null;
  authBusy = false;
  /** The code of `#invite=`, and what the server says about it. */
  inviteCode: string | null = null;
  invitation: InvitationInfo | null = null;
  invitationMissing = false;
  /** Display names (and, for an admin, the disabled flag) from the accounts. */
  accounts = new Map<string, AccountInfo>();
  invitations: Invitation[] = [];
  /** The link just made by the invite form, shown for copying. */
  inviteLink: { url: string; expiresAt: string } | null = null;
  accountOpen = false;
  sessions: SessionInfo[] | null = null;
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
  private viewsInFlight = false;
  private viewsAgain = false;
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
    // The invitation link is `…/#invite=CODE`; a `/invite/CODE` path works too.
    const path = location.pathname.match(/\/invite\/([A-Za-z0-9_-]+)$/);
    this.inviteCode = params.get('invite') ?? path?.[1] ?? null;
    const lang = params.get('lang');
    if (lang === 'id' || lang === 'en') this.lang = lang;
    this.http = new RembukHttp({ baseUrl: '', token: () => this.accessToken, fetch: (input, init) => this.authFetch(input, init) });
  }

  /** The token of the API and the socket: the session's, or the one from the URL. */
  get accessToken(): string {
    return this.session ? this.session.token : this.token;
  }

  /** fetch for the API: a 401 of a signed-in session refreshes the token once and retries. */
  private async authFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(input, init);
    if (response.status !== 401 || !this.session?.active) return response;
    if (!(await this.session.refresh())) return response;
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${this.session.token}`);
    return fetch(input, { ...init, headers });
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
    // Folded events do not fetch the views; a tab showing them asks for the live ones.
    const live = this.serverState?.version;
    if (VIEW_TABS.has(tab) && live !== undefined && [...this.views.values()].some((v) => v.version !== live)) this.refreshViews();
    if (tab === 'members' && this.permissions.canInvite && this.session !== null) void this.loadInvitations();
    this.render();
  }

  // ─────────────────────────────── state ───────────────────────────────

  /** Pending commands not yet visible in the fetched state (acked or landed after it). */
  private unconfirmed(): PendingCommand[] {
    const v = this.serverState?.version ?? 0;
    return this.pending.filter((p) => {
      const landedAt = p.landedVersion ?? p.ackVersion;
      return landedAt === undefined || landedAt > v;
    });
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

  /**
   * A person's name: their account's display name; without an account (people imported with
   * the example, service tokens) the name the member list recorded; else the user id.
   */
  memberName(userId: string | undefined): string {
    if (!userId) return '—';
    const account = this.accounts.get(userId);
    if (account?.displayName) return account.displayName;
    if (this.session?.user === userId && this.session.displayName) return this.session.displayName;
    const m = (this.serverState ?? this.state)?.members.find((x) => x.userId === userId);
    return m?.name ?? userId;
  }

  isPendingKey(key: string): boolean {
    return this.unconfirmed().some((p) => p.state !== 'acked' && commandFieldKeys(p.command).includes(key));
  }

  // ─────────────────────────────── startup ───────────────────────────────

  /**
   * First load: an invitation link opens the invitation page; a `#token=` opens the editor
   * with it; otherwise the refresh cookie resumes a session, or the sign-in page shows.
   */
  async boot(): Promise<void> {
    if (this.inviteCode) {
      this.page = 'invite';
      this.render();
      await this.loadInvitation();
      return;
    }
    if (this.token) {
      this.page = 'editor';
      await this.start();
      return;
    }
    const session = this.newSession();
    if (await session.resume()) {
      this.page = 'editor';
      await this.start();
      return;
    }
    this.session = null;
    this.page = 'signin';
    this.notice = sessionStorage.getItem('rembuk.notice');
    sessionStorage.removeItem('rembuk.notice');
    this.render();
  }

  private newSession(): Session {
    const session = new Session();
    // A person's socket stays open as long as the sign-in session lives (docs/protocol.md):
    // the refreshed token serves the HTTP reads and the next hello after a reconnect.
    session.onRenewed = () => {};
    session.onEnded = (reason) => this.signedOut(reason);
    this.session = session;
    return session;
  }

  /** After a sign-in or an accepted invitation: open the editor. */
  private async enter(signIn: SignIn): Promise<void> {
    if (this.client !== null) {
      // This page already ran an editor: start clean (the cookie resumes the session).
      if (this.masterplan) location.hash = `masterplan=${encodeURIComponent(this.masterplan)}`;
      location.reload();
      return;
    }
    this.session!.adopt(signIn);
    this.page = 'editor';
    this.notice = null;
    this.authError = null;
    this.render();
    await this.start();
  }

  async signIn(user: string, password: string): Promise<void> {
    if (!user.trim() || !password) {
      this.authError = this.t('signin.required');
      this.render();
      return;
    }
    this.authBusy = true;
    this.authError = null;
    this.render();
    const session = this.newSession();
    const result = await session.login(user.trim(), password);
    this.authBusy = false;
    if (result.ok) {
      await this.enter(result.signIn);
      return;
    }
    this.session = null;
    this.authError = this.authFailureText(result.failure);
    this.render();
  }

  authFailureText(f: AuthFailure): string {
    switch (f.error) {
      case 'invalid_credentials':
        return this.t('signin.invalid');
      case 'account_disabled':
        return this.t('signin.disabled');
      case 'rate_limited':
        return this.t('signin.limited', { seconds: f.retryAfter ?? 60 });
      case 'network':
        return this.t('signin.network');
      case 'accounts_unavailable':
        return this.t('signin.noAccounts');
      case 'password_too_short':
        return this.t('valid.passwordShort');
      case 'password_is_user_id':
        return this.t('valid.passwordUser');
      case 'password_is_city_name':
        return this.t('valid.passwordCity');
      case 'user_taken':
        return this.t('valid.userTaken');
      case 'invitation_used':
        return this.t('invite.used');
      case 'invitation_withdrawn':
        return this.t('invite.withdrawn');
      case 'invitation_expired':
        return this.t('invite.expired');
      case 'invitation_not_found':
        return this.t('invite.notFound');
      default:
        return this.t('signin.failed', { message: f.message || f.error });
    }
  }

  /** Signs out by the user's choice. */
  async signOut(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.client?.close();
    await session?.logout();
    sessionStorage.setItem('rembuk.notice', 'notice.signedOut');
    location.hash = this.masterplan ? `masterplan=${encodeURIComponent(this.masterplan)}` : '';
    location.reload();
  }

  /** The server ended the session (disabled account, session ended, refresh refused). */
  signedOut(reason: EndReason): void {
    this.client?.close();
    this.session = null;
    this.page = 'signin';
    this.notice = reason === 'signedOut' ? 'notice.signedOut' : reason === 'expired' ? 'notice.expired' : 'notice.ended';
    this.accountOpen = false;
    this.selectedProgram = null;
    this.creatingProgram = false;
    this.commentTarget = null;
    this.render();
  }

  // ─────────────────────────────── invitation ───────────────────────────────

  private async loadInvitation(): Promise<void> {
    const r = await this.http.request<InvitationInfo>('GET', `/api/invitations/${encodeURIComponent(this.inviteCode!)}`);
    if (r.ok) this.invitation = r.body;
    else if (r.status === 404 || r.status === 410) this.invitationMissing = true;
    else this.authError = this.authFailureText({ status: r.status, error: r.error, message: r.message ?? '', retryAfter: r.retryAfter });
    this.render();
  }

  /** Accepts the invitation: the account is made, the member added, the editor opens. */
  async acceptInvitation(displayName: string, password: string, user: string): Promise<void> {
    this.authBusy = true;
    this.authError = null;
    this.render();
    const session = this.newSession();
    const body: Record<string, string> = { password };
    if (displayName.trim()) body.displayName = displayName.trim();
    if (user.trim()) body.user = user.trim();
    const r = await this.http.request<SignIn>('POST', `/api/invitations/${encodeURIComponent(this.inviteCode!)}/accept`, { body });
    this.authBusy = false;
    if (!r.ok) {
      this.session = null;
      if (['invitation_used', 'invitation_withdrawn', 'invitation_expired'].includes(r.error) && this.invitation) {
        this.invitation = { ...this.invitation, status: r.error.replace('invitation_', '') as InvitationInfo['status'] };
      }
      this.authError = this.authFailureText({ status: r.status, error: r.error, message: r.message ?? '', retryAfter: r.retryAfter });
      this.render();
      return;
    }
    const mp = this.invitation?.masterplan;
    this.inviteCode = null;
    if (mp) this.masterplanParam = mp;
    // The code is spent: keep it out of the address bar and the history.
    history.replaceState(null, '', `${location.pathname.replace(/\/invite\/[^/]*$/, '/')}${mp ? `#masterplan=${encodeURIComponent(mp)}` : ''}`);
    this.toast('ok', this.t('invite.welcome', { name: r.body.displayName || r.body.user, user: r.body.user }), 20000);
    await this.enter(r.body);
  }

  // ─────────────────────────────── accounts, invitations, sessions ───────────────────────────────

  /** Display names of the members (and, for an admin, every account with its state). */
  async loadAccounts(): Promise<void> {
    const admin = this.welcome?.roles.includes('admin') ?? false;
    const r = await this.http.request<{ users: AccountInfo[] }>('GET', '/api/users', { query: admin ? {} : { masterplan: this.masterplan } });
    if (!r.ok || !Array.isArray(r.body?.users)) return;
    this.accounts = new Map(r.body.users.map((u) => [u.user, u]));
    this.render();
  }

  async loadInvitations(): Promise<void> {
    const r = await this.http.request<{ invitations: Invitation[] }>('GET', '/api/invitations', { query: { masterplan: this.masterplan } });
    if (!r.ok || !Array.isArray(r.body?.invitations)) return;
    this.invitations = r.body.invitations.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    this.render();
  }

  /** Makes an invitation; its link is shown for copying. Returns the error text, if any. */
  async invite(role: string, opd: string | undefined, days: number): Promise<string | null> {
    const body = { role, masterplan: this.masterplan, expiresIn: Math.round(days * 86400), ...(opd ? { opd } : {}) };
    const r = await this.http.request<{ url: string; code: string; expiresAt: string }>('POST', '/api/invitations', { body });
    if (!r.ok) return `${r.error}: ${r.message ?? ''}`;
    this.inviteLink = { url: r.body.url, expiresAt: r.body.expiresAt };
    void this.loadInvitations();
    this.render();
    return null;
  }

  async withdrawInvitation(id: string): Promise<void> {
    const r = await this.http.request('DELETE', `/api/invitations/${encodeURIComponent(id)}`);
    if (r.ok) this.toast('ok', this.t('members.withdrawn'));
    else this.toast('error', `${r.error}: ${r.message ?? ''}`);
    await this.loadInvitations();
  }

  async setAccountDisabled(user: string, disabled: boolean): Promise<void> {
    const r = await this.http.request<AccountInfo>('POST', `/api/users/${encodeURIComponent(user)}/${disabled ? 'disable' : 'enable'}`);
    if (r.ok) this.toast('ok', this.t(disabled ? 'members.disabledToast' : 'members.enabledToast', { user }));
    else this.toast('error', `${r.error}: ${r.message ?? ''}`);
    await this.loadAccounts();
  }

  openAccount(open: boolean): void {
    this.accountOpen = open;
    if (open) void this.loadSessions();
    this.render();
  }

  async loadSessions(): Promise<void> {
    if (!this.session) return;
    const r = await this.http.request<{ sessions: SessionInfo[] }>('GET', '/api/auth/sessions');
    if (r.ok && Array.isArray(r.body?.sessions)) this.sessions = r.body.sessions;
    this.render();
  }

  async endSession(id: string): Promise<void> {
    const current = this.sessions?.find((s) => s.id === id)?.current ?? false;
    const r = await this.http.request('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`);
    if (!r.ok) {
      this.toast('error', `${r.error}: ${r.message ?? ''}`);
      return;
    }
    if (current) {
      this.session?.end('ended');
      return;
    }
    this.toast('ok', this.t('notice.sessionEnded'));
    await this.loadSessions();
  }

  async start(): Promise<void> {
    if (!this.accessToken) {
      this.fatal = this.t('error.noToken');
      this.render();
      return;
    }
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
    const session = this.session;
    const client = new RembukClient({ url, token: () => (session ? session.freshToken() : this.token) });
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
      if (!m.catchUp && m.events.some((e) => e.type === 'MemberAdded' || e.type === 'MemberRemoved')) void this.loadAccounts();
      // During a fetch, the events after the fetched version are folded when it lands.
      if (!this.fetching && !this.bringForward(m.events)) this.scheduleFetch();
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
      // A signed-in session that the server ends gets `signedOut` right after this error.
      if (session && (e.code === 'invalid_token' || e.code === 'token_expired')) return;
      if (e.code === 'invalid_token' || e.code === 'token_expired') this.fatal = this.t('error.token', { message: e.message });
      else this.toast('error', `${e.code}: ${e.message}`);
      this.render();
    });
    client.on('unsubscribed', (u) => {
      // The server dropped the subscription: this person's membership ended.
      if (u.masterplan !== this.masterplan) return;
      this.fatal = this.t('error.membershipEnded', { id: this.masterplan });
      this.render();
    });
    client.on('signedOut', () => {
      if (session) session.end('ended');
      else this.fatal = this.t('notice.ended');
      this.render();
    });
    try {
      this.welcome = await client.connect();
    } catch (error) {
      if (session && !session.active) return; // the sign-in page already shows why
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
    void this.loadAccounts();
    client.subscribe(this.masterplan).catch((error: Error) => {
      this.fatal = error.message;
      this.render();
    });
    this.render();
  }

  /**
   * Brings the fetched state forward with `events` (in version order), each folded as the
   * kernel folds it (applyEvent; text operations included). False when it stops short: an
   * event after a gap, or one it does not fold; the state must then be fetched.
   */
  private bringForward(events: StoredEvent[]): boolean {
    const start = this.serverState;
    if (start === null) return false;
    let state: MasterplanState = start;
    let current = true;
    let wholeValues = false;
    let plugins = false;
    for (const e of events) {
      if (e.version <= state.version) continue;
      const next = e.version === state.version + 1 ? applyEvent(state, e) : null;
      if (next === null) {
        current = false;
        break;
      }
      state = next;
      wholeValues ||= e.type !== 'TextEdited';
      plugins ||= e.type === 'PluginEnabled' || e.type === 'PluginDisabled';
    }
    if (state === start) return current;
    this.serverState = state;
    const folded = state;
    // A field being written whose text was set as a whole (or whose entity went) starts over,
    // as after a fetch.
    if (wholeValues) this.texts.resync((key) => narrativeText(folded, key), folded.version);
    if (plugins) void this.fetchPillarCatalogue(folded.version);
    if (wholeValues && VIEW_TABS.has(this.tab)) this.refreshViews();
    return current;
  }

  /**
   * The views of the live version again, for a tab that shows them (coalesced like the
   * state: one request round in flight, then one more if the version moved on meanwhile).
   */
  private refreshViews(): void {
    if (this.viewsInFlight) {
      this.viewsAgain = true;
      return;
    }
    this.viewsInFlight = true;
    void (async () => {
      try {
        do {
          this.viewsAgain = false;
          if (this.serverState !== null) await this.fetchViews(this.serverState.version);
        } while (this.viewsAgain);
      } finally {
        this.viewsInFlight = false;
      }
    })();
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

  toast(kind: Toast['kind'], text: string, durationMs?: number): void {
    const id = ++this.toastCounter;
    this.toasts = [...this.toasts.slice(-3), { id, kind, text }];
    setTimeout(() => {
      this.toasts = this.toasts.filter((x) => x.id !== id);
      this.render();
    }, durationMs ?? (kind === 'error' ? 8000 : 4000));
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
