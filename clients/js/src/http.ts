// Read-only HTTP API of `rembuk serve` (docs/protocol.md, "HTTP on the same port"):
// the masterplan state (also at a past version) and the projections' views.

import type { MasterplanResponse } from './state.js';

export type ViewName = 'document' | 'roadmap' | 'opds' | 'budget' | 'coverage' | 'activity' | 'history';

export type HttpResult<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; status: number; error: string; message?: string; retryAfter?: number };

export interface RembukHttpOptions {
  /** `http://host:port` (no trailing slash needed); '' in a browser page served by rembuk. */
  baseUrl: string;
  token: string | (() => string);
  fetch?: typeof fetch;
}

/** Derives the HTTP base URL from a WebSocket URL (`ws://h:p/ws` → `http://h:p`). */
export function httpBaseFromWebSocketUrl(url: string): string {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === 'wss:' ? 'https:' : 'http:';
  return `${parsed.protocol}//${parsed.host}`;
}

/** Derives the WebSocket URL of the page's origin (`https://h/…` → `wss://h/ws`). */
export function webSocketUrlFromLocation(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

export class RembukHttp {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: RembukHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  private token(): string {
    return typeof this.options.token === 'function' ? this.options.token() : this.options.token;
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<HttpResult<T>> {
    return this.request<T>('GET', path, { query });
  }

  /**
   * Any request of the API with the Bearer token (`body` sent as JSON); errors as values
   * with the server's `{error, message}`.
   */
  async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
  ): Promise<HttpResult<T>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}${qs ? `?${qs}` : ''}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    } catch (error) {
      return { ok: false, status: 0, error: 'network', message: String(error) };
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const b = (body ?? {}) as { error?: string; message?: string };
      const retryAfter = Number(response.headers.get('Retry-After') ?? NaN);
      return {
        ok: false,
        status: response.status,
        error: b.error ?? `http_${response.status}`,
        message: b.message,
        ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
      };
    }
    return { ok: true, status: response.status, body: body as T };
  }

  /** `GET /api/masterplans`. */
  masterplans(): Promise<HttpResult<{ masterplans: { id: string; version: number; lastPosition: number }[] }>> {
    return this.get('/api/masterplans');
  }

  /** The canonical state, now or `at` a past version. */
  state(masterplan: string, at?: number): Promise<HttpResult<MasterplanResponse>> {
    return this.get(`/api/masterplans/${encodeURIComponent(masterplan)}`, { at });
  }

  /** A projection's view; `{ok: false, status: 501}` while it is not built. */
  view<T = unknown>(
    masterplan: string,
    view: ViewName,
    query: Record<string, string | number | undefined> = {},
  ): Promise<HttpResult<T>> {
    return this.get(`/api/masterplans/${encodeURIComponent(masterplan)}/${view}`, query);
  }
}
