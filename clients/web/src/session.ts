// A signed-in person's session in the editor (docs/security.md, "Signing in"): the access
// token lives only in this object (memory, never storage), the refresh token only in its
// HttpOnly cookie. The token is refreshed (POST /api/auth/refresh, which rotates the cookie)
// a minute before it expires; whoever holds the socket is told through `onRenewed` so it can
// hand the new token to the open WebSocket. A refresh the server refuses ends the session
// (`onEnded`): the editor goes to the sign-in page.
//
// Several tabs of one browser share the cookie; two refreshes with the same cookie would look
// like a stolen, reused token and end the whole session family. Refreshes are therefore
// serialised across tabs with a Web Lock where the browser has one (secure contexts; the
// loopback address counts as one): the second tab then sends the cookie the first one got.

export interface SignIn {
  accessToken: string;
  expiresAt: string;
  expiresIn?: number;
  user: string;
  displayName?: string;
  roles: string[];
  sessionId?: string;
}

export interface AuthFailure {
  status: number;
  error: string;
  message: string;
  /** Seconds, from `Retry-After` (429). */
  retryAfter?: number;
}

export type AuthResult = { ok: true; signIn: SignIn } | { ok: false; failure: AuthFailure };

/** Why a session ended, as the sign-in page explains it. */
export type EndReason = 'expired' | 'signedOut' | 'ended';

/** POST a JSON body to an auth endpoint; the refresh cookie travels on its own. */
export async function postAuth(path: string, body?: unknown, token?: string): Promise<AuthResult> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    return { ok: false, failure: { status: 0, error: 'network', message: String(error) } };
  }
  let json: Record<string, unknown> = {};
  try {
    json = (await response.json()) as Record<string, unknown>;
  } catch {
    /* an empty or non-JSON body */
  }
  if (!response.ok) {
    const retry = Number(response.headers.get('Retry-After') ?? NaN);
    return {
      ok: false,
      failure: {
        status: response.status,
        error: typeof json.error === 'string' ? json.error : `http_${response.status}`,
        message: typeof json.message === 'string' ? json.message : '',
        ...(Number.isFinite(retry) ? { retryAfter: retry } : {}),
      },
    };
  }
  return { ok: true, signIn: json as unknown as SignIn };
}

/** Refresh this long before the access token expires (a fifth of its life when shorter). */
const REFRESH_AHEAD_MS = 60_000;

export class Session {
  token = '';
  user = '';
  displayName = '';
  roles: string[] = [];
  sessionId = '';
  /** Date.now() at which the access token expires, and how long it lives. */
  expiresAtMs = 0;
  lifetimeMs = 0;
  /** Called with every new access token after a refresh (to renew the WebSocket's hello). */
  onRenewed: (token: string) => void = () => {};
  /** Called once when a refresh is refused: the session is over. */
  onEnded: (reason: EndReason, failure: AuthFailure) => void = () => {};

  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<boolean> | null = null;
  private ended = false;

  get active(): boolean {
    return this.token !== '' && !this.ended;
  }

  /** Takes the answer of login, refresh or an accepted invitation. */
  adopt(signIn: SignIn): void {
    this.token = signIn.accessToken;
    this.user = signIn.user;
    this.displayName = signIn.displayName ?? this.displayName;
    this.roles = signIn.roles ?? this.roles;
    this.sessionId = signIn.sessionId ?? this.sessionId;
    const lifetime = (signIn.expiresIn ?? 900) * 1000;
    const at = Date.parse(signIn.expiresAt);
    // The client's clock may differ from the server's: trust the lifetime, not the date.
    this.expiresAtMs = Date.now() + (Number.isFinite(signIn.expiresIn) ? lifetime : Math.max(0, at - Date.now()));
    this.lifetimeMs = lifetime;
    this.ended = false;
    this.schedule(lifetime);
  }

  async login(user: string, password: string): Promise<AuthResult> {
    const result = await postAuth('/api/auth/login', { user, password });
    if (result.ok) this.adopt(result.signIn);
    return result;
  }

  /** Resumes a session from the refresh cookie (a reload); false when there is none. */
  async resume(): Promise<boolean> {
    return this.refresh({ quiet: true });
  }

  /** A token that is valid for at least a little while: refreshed first when it is not. */
  async freshToken(): Promise<string> {
    if (this.token && Date.now() < this.expiresAtMs - Math.min(10_000, this.lifetimeMs * 0.2)) return this.token;
    if (!(await this.refresh())) throw new Error('the session ended');
    return this.token;
  }

  /**
   * Asks for a new access token with the refresh cookie (one request at a time). `quiet`:
   * a refused refresh does not count as the end of a session (there was none: first load).
   */
  refresh(options: { quiet?: boolean } = {}): Promise<boolean> {
    if (this.inFlight) return this.inFlight;
    const run = async (): Promise<boolean> => {
      const result = await postAuth('/api/auth/refresh');
      if (result.ok) {
        this.adopt(result.signIn);
        this.onRenewed(this.token);
        return true;
      }
      if (result.failure.status === 0 || result.failure.status >= 500) {
        // The server is unreachable for a moment: keep the session, try again soon.
        if (!options.quiet) this.schedule(20_000, true);
        return false;
      }
      if (!options.quiet) this.end(result.failure.error === 'session_ended' || result.failure.error === 'refresh_reused' ? 'ended' : 'expired', result.failure);
      return false;
    };
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    const promise = (locks ? locks.request('rembuk-refresh', () => run()).then((ok) => ok) : run()).finally(() => {
      this.inFlight = null;
    });
    this.inFlight = promise;
    return promise;
  }

  /** Signs out (the server ends the session and clears the cookie). */
  async logout(): Promise<void> {
    const token = this.token;
    this.stop();
    await postAuth('/api/auth/logout', undefined, token);
  }

  /** The server ended the session (the socket said so, or a refresh was refused). */
  end(reason: EndReason, failure: AuthFailure = { status: 401, error: 'session_ended', message: '' }): void {
    if (this.ended) return;
    this.stop();
    this.onEnded(reason, failure);
  }

  private stop(): void {
    this.ended = true;
    this.token = '';
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(lifetimeMs: number, retry = false): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const delay = retry ? lifetimeMs : Math.max(1000, lifetimeMs - Math.min(REFRESH_AHEAD_MS, lifetimeMs * 0.2));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, delay);
  }
}
