// RembukClient: one WebSocket session with `rembuk serve` (docs/protocol.md).
//
// - connect(): opens the socket, says hello with the token, resolves with the welcome.
// - subscribe(masterplan): catch-up then live events; the client remembers the last version
//   it saw and, after a reconnect, subscribes again from that version (no gap, no dup).
// - submit(masterplan, command): sends with a generated commandId and the current base
//   version; resolves with the outcome (ack or reject — a reject is a value, not an
//   exception). Until the outcome the command sits in a pending queue that a UI lays over
//   the server state (optimistic.ts); a reject takes it out (the rollback). Pending commands
//   are resubmitted with the same commandId after a reconnect: the server's idempotency
//   answers a command it already committed with its original ack (`duplicate: true`).
// - reconnect with exponential backoff and jitter; presence with heartbeats; ping to stay
//   under the idle timeout.
// - renew(token): a second `hello` on the open socket, for a server that accepts one
//   (`rembuk serve` keeps a person's socket open while the sign-in session lives and answers
//   `already_authenticated`). A close 1008 "signed out" (account disabled, session ended) is
//   final: no reconnect, a `signedOut` event.
//
// Thread safety: none needed (single-threaded JS). Works in browsers (global WebSocket) and
// Node (pass the `ws` package's WebSocket as `options.WebSocket`).

import type { Command } from './commands.js';
import { Emitter } from './emitter.js';
import {
  parseServerMessage,
  type AckMessage,
  type ClientMessage,
  type ErrorMessage,
  type EventsMessage,
  type Focus,
  type PresenceBroadcastMessage,
  type RejectMessage,
  type ServerMessage,
  type SnapshotMessage,
  type StoredEvent,
  type Violation,
  type WelcomeMessage,
} from './protocol.js';

/** The part of the WHATWG WebSocket the client uses (the `ws` package has it too). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface BackoffOptions {
  /** First delay (default 250 ms). */
  initialMs?: number;
  /** Largest delay (default 10 s). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay that is random (default 0.5: delay × [0.5, 1)). */
  jitter?: number;
}

export interface RembukClientOptions {
  /** `ws://host:port/ws`. */
  url: string;
  /** The JWT, or a function asked before every (re)connect (to refresh it). */
  token: string | (() => string | Promise<string>);
  /** The WebSocket class; default `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Reconnect after an unexpected close (default true). */
  reconnect?: boolean;
  backoff?: BackoffOptions;
  /** Send `ping` this often when connected (default 30 s; the idle timeout is 120 s). */
  pingIntervalMs?: number;
  /** How often a transient reject (rate_limited, unavailable) is retried (default 5). */
  maxTransientRetries?: number;
  /** Random numbers in [0, 1) for jitter and command ids (default Math.random). */
  random?: () => number;
  /** Command id generator (default `c-` + time + random). */
  newCommandId?: () => string;
}

export type ConnectionStatus =
  | 'idle'
  | 'connecting'
  | 'authenticating'
  | 'open'
  | 'reconnecting'
  | 'closed';

export interface StatusChange {
  status: ConnectionStatus;
  /** Reconnect attempt number (reconnecting). */
  attempt?: number;
  /** Delay before the next attempt (reconnecting). */
  delayMs?: number;
  /** The close that caused it, when known. */
  closeCode?: number;
  closeReason?: string;
}

export type PendingState = 'queued' | 'sent' | 'acked';

export interface PendingCommand {
  commandId: string;
  masterplan: string;
  command: Command;
  baseVersion?: number;
  state: PendingState;
  /** Set once acked: the command is shown optimistically until events reach this version. */
  ackVersion?: number;
  /**
   * Set when the command's own event arrived, which the protocol allows before its ack: the
   * version of that event. A state at this version already holds the command, so
   * `applyPending` no longer lays it over (it would add a registered OPD twice).
   */
  landedVersion?: number;
  /** How many times it was sent (more than 1 after reconnects or transient rejects). */
  attempts: number;
}

export type SubmitOutcome =
  | {
      status: 'ack';
      commandId: string;
      masterplan: string;
      version: number;
      duplicate: boolean;
    }
  | {
      status: 'reject';
      commandId: string;
      masterplan: string;
      code: string;
      message: string;
      violations: Violation[];
    };

export interface SubmitOptions {
  /** The version the author saw; default the last version this client saw (when subscribed). */
  baseVersion?: number;
  /** Default: a generated id. */
  commandId?: string;
}

export interface PresenceMember {
  user: string;
  session: string;
  focus: Focus;
  /** Date.now() of the last presence message. */
  seenAt: number;
}

export interface RejectNotice extends RejectMessage {
  masterplan: string;
  command?: Command;
}

export interface ClientEvents {
  status: StatusChange;
  welcome: WelcomeMessage;
  /** Catch-up and live events (already de-duplicated and in order). */
  events: EventsMessage;
  snapshot: SnapshotMessage;
  ack: AckMessage & { masterplan: string };
  reject: RejectNotice;
  /** The pending queue of a masterplan changed. */
  pending: { masterplan: string; pending: PendingCommand[] };
  /** Who else is in a masterplan's room changed. */
  presence: { masterplan: string; members: PresenceMember[] };
  /** An `error` message from the server. */
  error: ErrorMessage;
  unsubscribed: { masterplan: string };
  /**
   * The server ended this person's session (account disabled, sign-in session ended or
   * signed out elsewhere): the socket was closed with 1008 "signed out" and the client will
   * not reconnect.
   */
  signedOut: { code: number; reason: string; message: string };
}

interface Subscription {
  masterplan: string;
  /** Last version seen (0 = nothing yet). */
  version: number;
  /** Catch-up answered since the last (re)subscribe. */
  caughtUp: boolean;
  focus: Focus;
  members: Map<string, PresenceMember>;
  waiters: Array<{ resolve: (version: number) => void; reject: (error: Error) => void }>;
}

interface PendingEntry extends PendingCommand {
  resolve: (outcome: SubmitOutcome) => void;
  retries: number;
}

const OPEN = 1;
const TRANSIENT_REJECTS = new Set(['rate_limited', 'unavailable']);
const FATAL_HELLO_ERRORS = new Set(['invalid_token']);
/** The close reason of a session the server ended for good (docs/protocol.md, "Close codes"). */
export const SIGNED_OUT_REASON = 'signed out';

/** Thrown by connect() when the session cannot be established and will not be retried. */
export class RembukConnectionError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RembukConnectionError';
  }
}

export class RembukClient extends Emitter<ClientEvents> {
  private readonly options: Required<
    Omit<RembukClientOptions, 'WebSocket' | 'backoff' | 'token'>
  > & { backoff: Required<BackoffOptions> };
  private readonly WebSocketClass: WebSocketConstructor;
  private socket: WebSocketLike | null = null;
  private statusValue: ConnectionStatus = 'idle';
  private welcomeValue: WelcomeMessage | null = null;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private presenceTimer: ReturnType<typeof setInterval> | null = null;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly pendingList: PendingEntry[] = [];
  private connectWaiters: Array<{
    resolve: (welcome: WelcomeMessage) => void;
    reject: (error: Error) => void;
  }> = [];
  private requestCounter = 0;
  private closedByUser = false;
  /** The renewal hello in flight (its request id), answered by a welcome or an error. */
  private renewal: {
    id: string;
    resolve: (welcome: WelcomeMessage) => void;
    reject: (error: Error) => void;
  } | null = null;
  /** The server's last `error` message before a close (its text explains a sign-out). */
  private lastErrorMessage = '';

  private readonly tokenSource: RembukClientOptions['token'];

  constructor(opts: RembukClientOptions) {
    super();
    this.tokenSource = opts.token;
    const random = opts.random ?? Math.random;
    this.options = {
      url: opts.url,
      reconnect: opts.reconnect ?? true,
      pingIntervalMs: opts.pingIntervalMs ?? 30_000,
      maxTransientRetries: opts.maxTransientRetries ?? 5,
      random,
      newCommandId:
        opts.newCommandId ??
        (() =>
          `c-${Date.now().toString(36)}-${Math.floor(random() * 2 ** 48)
            .toString(36)
            .padStart(10, '0')}`),
      backoff: {
        initialMs: opts.backoff?.initialMs ?? 250,
        maxMs: opts.backoff?.maxMs ?? 10_000,
        factor: opts.backoff?.factor ?? 2,
        jitter: opts.backoff?.jitter ?? 0.5,
      },
    };
    const ws =
      opts.WebSocket ??
      ((globalThis as { WebSocket?: WebSocketConstructor }).WebSocket as
        | WebSocketConstructor
        | undefined);
    if (ws === undefined) {
      throw new Error('no WebSocket: pass options.WebSocket (e.g. the `ws` package in Node)');
    }
    this.WebSocketClass = ws;
  }

  // ─────────────────────────────── accessors ───────────────────────────────

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** The last welcome (user, roles, opd, server limits), or null before the first. */
  get welcome(): WelcomeMessage | null {
    return this.welcomeValue;
  }

  /** The last version seen of a subscribed masterplan (0 when none yet). */
  version(masterplan: string): number {
    return this.subscriptions.get(masterplan)?.version ?? 0;
  }

  /** Commands not yet confirmed (in submission order), optionally of one masterplan. */
  pending(masterplan?: string): PendingCommand[] {
    return this.pendingList
      .filter((p) => masterplan === undefined || p.masterplan === masterplan)
      .map(({ resolve: _r, retries: _t, ...rest }) => ({ ...rest }));
  }

  /** Who else is in the room (not this session). */
  presence(masterplan: string): PresenceMember[] {
    const sub = this.subscriptions.get(masterplan);
    return sub ? [...sub.members.values()] : [];
  }

  /** Exponential backoff with jitter for attempt n (1-based). */
  backoffDelay(attempt: number): number {
    const { initialMs, maxMs, factor, jitter } = this.options.backoff;
    const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
    return Math.round(base * (1 - jitter + jitter * this.options.random()));
  }

  // ─────────────────────────────── connection ───────────────────────────────

  /** Connects (or waits for the current attempt); resolves with the welcome. */
  connect(): Promise<WelcomeMessage> {
    this.closedByUser = false;
    if (this.statusValue === 'open' && this.welcomeValue) {
      return Promise.resolve(this.welcomeValue);
    }
    const promise = new Promise<WelcomeMessage>((resolve, reject) => {
      this.connectWaiters.push({ resolve, reject });
    });
    if (this.socket === null && this.reconnectTimer === null) this.open();
    return promise;
  }

  /** Closes for good: no reconnect; pending submits stay unresolved-free (rejected locally). */
  close(): void {
    this.closedByUser = true;
    this.clearTimers();
    if (this.reconnectTimer !== null) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      try {
        socket.close(1000, 'client closed');
      } catch {
        /* already closed */
      }
    }
    for (const waiter of this.connectWaiters.splice(0)) {
      waiter.reject(new RembukConnectionError('client closed', 'closed'));
    }
    for (const sub of this.subscriptions.values()) {
      for (const w of sub.waiters.splice(0)) w.reject(new Error('client closed'));
      sub.members.clear();
    }
    for (const entry of this.pendingList.splice(0)) {
      entry.resolve({
        status: 'reject',
        commandId: entry.commandId,
        masterplan: entry.masterplan,
        code: 'closed',
        message: 'the client was closed before the server answered',
        violations: [],
      });
    }
    this.setStatus({ status: 'closed' });
  }

  /**
   * Drops the socket as if the network failed (the client reconnects). For tests and for
   * a UI's "reconnect now" button.
   */
  dropConnection(): void {
    this.socket?.close(4001, 'client dropped the connection');
  }

  private async open(): Promise<void> {
    this.setStatus({ status: this.attempt === 0 ? 'connecting' : 'reconnecting', attempt: this.attempt });
    let token: string;
    try {
      token =
        typeof this.tokenSource === 'function' ? await this.tokenSource() : this.tokenSource;
    } catch (error) {
      this.failConnect(new RembukConnectionError(`token: ${String(error)}`, 'token'));
      return;
    }
    if (this.closedByUser) return;
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketClass(this.options.url);
    } catch (error) {
      this.scheduleReconnect(undefined, String(error));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.setStatus({ status: 'authenticating' });
      this.sendRaw({ type: 'hello', token });
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      const text = typeof event.data === 'string' ? event.data : String(event.data);
      const message = parseServerMessage(text);
      if (message !== null) this.handle(message);
    };
    socket.onerror = () => {
      /* onclose follows */
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onSocketClosed(event.code, event.reason);
    };
  }

  private onSocketClosed(code: number, reason: string): void {
    this.clearTimers();
    for (const sub of this.subscriptions.values()) {
      sub.caughtUp = false;
      if (sub.members.size > 0) {
        sub.members.clear();
        this.emit('presence', { masterplan: sub.masterplan, members: [] });
      }
    }
    // Sent but unanswered commands go back to the queue; they are resubmitted with the
    // same commandId after the next welcome.
    for (const entry of this.pendingList) {
      if (entry.state === 'sent') entry.state = 'queued';
    }
    this.failRenewal(new RembukConnectionError(`connection closed (${code})`, 'closed'));
    if (this.closedByUser) return;
    if (code === 1008 && reason === SIGNED_OUT_REASON) {
      // Final: reconnecting with the same sign-in session would be refused anyway.
      this.closedByUser = true;
      this.setStatus({ status: 'closed', closeCode: code, closeReason: reason });
      this.emit('signedOut', { code, reason, message: this.lastErrorMessage });
      for (const waiter of this.connectWaiters.splice(0)) {
        waiter.reject(new RembukConnectionError(this.lastErrorMessage || reason, 'signed_out'));
      }
      return;
    }
    if (!this.options.reconnect) {
      this.failConnect(new RembukConnectionError(`connection closed (${code})`, 'closed'));
      return;
    }
    this.scheduleReconnect(code, reason);
  }

  private scheduleReconnect(code?: number, reason?: string): void {
    if (this.closedByUser) return;
    this.attempt += 1;
    const delayMs = this.backoffDelay(this.attempt);
    this.setStatus({
      status: 'reconnecting',
      attempt: this.attempt,
      delayMs,
      closeCode: code,
      closeReason: reason,
    });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.open();
    }, delayMs);
  }

  private failConnect(error: RembukConnectionError): void {
    for (const waiter of this.connectWaiters.splice(0)) waiter.reject(error);
    this.closedByUser = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      try {
        socket.close(1000, 'giving up');
      } catch {
        /* ignore */
      }
    }
    this.setStatus({ status: 'closed' });
  }

  private setStatus(change: StatusChange): void {
    this.statusValue = change.status;
    this.emit('status', change);
  }

  private clearTimers(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    if (this.presenceTimer !== null) clearInterval(this.presenceTimer);
    this.pingTimer = null;
    this.presenceTimer = null;
  }

  private sendRaw(message: ClientMessage): boolean {
    const socket = this.socket;
    if (socket === null || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  private nextRequestId(): string {
    this.requestCounter += 1;
    return `r${this.requestCounter}`;
  }

  // ─────────────────────────────── messages ───────────────────────────────

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        return this.onWelcome(message);
      case 'events':
        return this.onEvents(message);
      case 'snapshot':
        return this.onSnapshot(message);
      case 'ack':
        return this.onAck(message);
      case 'reject':
        return this.onReject(message);
      case 'presence':
        return this.onPresence(message);
      case 'unsubscribed':
        this.emit('unsubscribed', { masterplan: message.masterplan });
        return;
      case 'pong':
        return;
      case 'error':
        return this.onError(message);
      default:
        return; // a message type this client does not know: ignore
    }
  }

  private onWelcome(welcome: WelcomeMessage): void {
    if (this.renewal !== null && welcome.id === this.renewal.id) {
      // The answer to renew(): same socket, same subscriptions; only the token changed.
      const renewal = this.renewal;
      this.renewal = null;
      this.welcomeValue = welcome;
      this.emit('welcome', welcome);
      renewal.resolve(welcome);
      return;
    }
    this.welcomeValue = welcome;
    this.attempt = 0;
    this.setStatus({ status: 'open' });
    this.emit('welcome', welcome);
    for (const waiter of this.connectWaiters.splice(0)) waiter.resolve(welcome);

    this.pingTimer = setInterval(() => this.sendRaw({ type: 'ping' }), this.options.pingIntervalMs);
    const ttl = welcome.server.presenceTtlMs ?? 30_000;
    this.presenceTimer = setInterval(() => this.heartbeat(), Math.max(1000, Math.floor(ttl / 3)));

    // Resubscribe from the last version seen, then resubmit pending commands in order.
    for (const sub of this.subscriptions.values()) this.sendSubscribe(sub);
    for (const entry of this.pendingList) {
      if (entry.state === 'queued') this.sendSubmit(entry);
    }
  }

  private sendSubscribe(sub: Subscription): void {
    sub.caughtUp = false;
    this.sendRaw({
      type: 'subscribe',
      id: this.nextRequestId(),
      masterplan: sub.masterplan,
      fromVersion: sub.version,
    });
    this.sendRaw({ type: 'presence', masterplan: sub.masterplan, focus: sub.focus ?? null });
  }

  private heartbeat(): void {
    for (const sub of this.subscriptions.values()) {
      this.sendRaw({ type: 'presence', masterplan: sub.masterplan, focus: sub.focus ?? null });
    }
    // Forget members the server did not refresh for a long time (e.g. a lost `left`).
    const ttl = this.welcomeValue?.server.presenceTtlMs ?? 30_000;
    const now = Date.now();
    for (const sub of this.subscriptions.values()) {
      let changed = false;
      for (const [session, member] of sub.members) {
        if (now - member.seenAt > ttl * 2) {
          sub.members.delete(session);
          changed = true;
        }
      }
      if (changed) this.emitPresence(sub);
    }
  }

  private onEvents(message: EventsMessage): void {
    const sub = this.subscriptions.get(message.masterplan);
    if (sub === undefined) return;
    const fresh: StoredEvent[] = [];
    for (const event of message.events) {
      if (event.version <= sub.version) continue; // already seen (defensive)
      if (event.version !== sub.version + 1) {
        // A gap: the protocol promises none; recover by subscribing again from what we have.
        this.sendSubscribe(sub);
        break;
      }
      fresh.push(event);
      sub.version = event.version;
    }
    const landed = this.markLanded(sub.masterplan, fresh);
    if (message.events.length === 0 && message.version > sub.version && !message.catchUp) {
      // Nothing to apply but the server is ahead: catch up.
      this.sendSubscribe(sub);
    }
    const caughtUpNow = message.catchUp === true && !sub.caughtUp;
    if (message.catchUp) sub.caughtUp = true;
    // Before the events: a UI that folds them renders with the command already marked.
    if (landed) this.emitPending(sub.masterplan);
    if (fresh.length > 0 || message.catchUp) {
      this.emit('events', { ...message, events: fresh, version: sub.version });
    }
    if (caughtUpNow) {
      for (const w of sub.waiters.splice(0)) w.resolve(sub.version);
    }
    this.settleAcked(sub.masterplan);
  }

  /** Records the version at which this client's unacknowledged commands landed; true if any. */
  private markLanded(masterplan: string, events: readonly StoredEvent[]): boolean {
    let marked = false;
    for (const event of events) {
      if (event.commandId === undefined) continue;
      for (const entry of this.pendingList) {
        if (entry.masterplan !== masterplan || entry.commandId !== event.commandId || entry.state === 'acked') continue;
        entry.landedVersion = Math.max(entry.landedVersion ?? 0, event.version);
        marked = true;
      }
    }
    return marked;
  }

  private onSnapshot(message: SnapshotMessage): void {
    const sub = this.subscriptions.get(message.masterplan);
    if (sub === undefined) return;
    sub.version = message.version;
    this.emit('snapshot', message);
  }

  /** The unanswered entry of `commandId` (a resubmitted id may also have an acked one). */
  private findPending(commandId: string): PendingEntry | undefined {
    return (
      this.pendingList.find((p) => p.commandId === commandId && p.state !== 'acked') ??
      this.pendingList.find((p) => p.commandId === commandId)
    );
  }

  private onAck(message: AckMessage): void {
    const entry = this.findPending(message.commandId);
    const masterplan = message.masterplan ?? entry?.masterplan ?? '';
    this.emit('ack', { ...message, masterplan });
    if (entry === undefined || entry.state === 'acked') return;
    entry.state = 'acked';
    entry.ackVersion = message.version;
    entry.resolve({
      status: 'ack',
      commandId: message.commandId,
      masterplan: entry.masterplan,
      version: message.version,
      duplicate: message.duplicate === true,
    });
    this.settleAcked(entry.masterplan, true);
  }

  /** Drops acked commands whose events have arrived (or that nobody is subscribed to). */
  private settleAcked(masterplan: string, changed = false): void {
    const sub = this.subscriptions.get(masterplan);
    for (let i = this.pendingList.length - 1; i >= 0; i -= 1) {
      const entry = this.pendingList[i];
      if (entry.masterplan !== masterplan || entry.state !== 'acked') continue;
      if (sub === undefined || sub.version >= (entry.ackVersion ?? 0)) {
        this.pendingList.splice(i, 1);
        changed = true;
      }
    }
    if (changed) this.emitPending(masterplan);
  }

  private onReject(message: RejectMessage): void {
    const entry = this.findPending(message.commandId);
    const masterplan = message.masterplan ?? entry?.masterplan ?? '';
    if (entry !== undefined && TRANSIENT_REJECTS.has(message.code)) {
      if (entry.retries < this.options.maxTransientRetries) {
        entry.retries += 1;
        entry.state = 'queued';
        setTimeout(() => {
          if (entry.state === 'queued' && this.pendingList.includes(entry)) this.sendSubmit(entry);
        }, this.backoffDelay(entry.retries));
        return;
      }
    }
    this.emit('reject', { ...message, masterplan, command: entry?.command });
    if (entry === undefined) return;
    this.pendingList.splice(this.pendingList.indexOf(entry), 1);
    entry.resolve({
      status: 'reject',
      commandId: message.commandId,
      masterplan,
      code: message.code,
      message: message.message,
      violations: message.violations ?? [],
    });
    this.emitPending(masterplan);
  }

  private onPresence(message: PresenceBroadcastMessage): void {
    const sub = this.subscriptions.get(message.masterplan);
    if (sub === undefined || message.session === this.welcomeValue?.session) return;
    if (message.state === 'left') {
      sub.members.delete(message.session);
    } else {
      sub.members.set(message.session, {
        user: message.user,
        session: message.session,
        focus: message.focus ?? null,
        seenAt: Date.now(),
      });
    }
    this.emitPresence(sub);
  }

  private onError(message: ErrorMessage): void {
    this.lastErrorMessage = message.message;
    if (this.renewal !== null && message.id === this.renewal.id) {
      // The renewal was refused; the connection goes on with the token it had.
      this.failRenewal(new RembukConnectionError(message.message, message.code));
      return;
    }
    this.emit('error', message);
    if (this.statusValue === 'authenticating' || message.ref === 'hello') {
      if (FATAL_HELLO_ERRORS.has(message.code) && typeof this.tokenSource === 'string') {
        this.failConnect(new RembukConnectionError(message.message, message.code));
      } else if (message.code === 'token_expired' || message.code === 'invalid_token') {
        // A token function may give a fresh token: reconnect.
        this.socket?.close(4002, 'retrying with a fresh token');
      }
      return;
    }
    if (message.ref === 'subscribe' && message.code === 'forbidden') {
      // Find the unanswered subscription and fail its waiters.
      for (const sub of this.subscriptions.values()) {
        if (!sub.caughtUp && sub.waiters.length > 0) {
          for (const w of sub.waiters.splice(0)) {
            w.reject(new RembukConnectionError(message.message, message.code));
          }
          this.subscriptions.delete(sub.masterplan);
          break;
        }
      }
    }
  }

  private emitPending(masterplan: string): void {
    this.emit('pending', { masterplan, pending: this.pending(masterplan) });
  }

  private emitPresence(sub: Subscription): void {
    this.emit('presence', { masterplan: sub.masterplan, members: [...sub.members.values()] });
  }

  // ─────────────────────────────── requests ───────────────────────────────

  /**
   * Subscribes (catch-up from `fromVersion`, default: the last version this client saw, or
   * 0). Resolves with the version once the catch-up has arrived.
   */
  subscribe(masterplan: string, options: { fromVersion?: number } = {}): Promise<number> {
    let sub = this.subscriptions.get(masterplan);
    if (sub === undefined) {
      sub = {
        masterplan,
        version: options.fromVersion ?? 0,
        caughtUp: false,
        focus: null,
        members: new Map(),
        waiters: [],
      };
      this.subscriptions.set(masterplan, sub);
    } else if (options.fromVersion !== undefined) {
      sub.version = options.fromVersion;
    }
    const s = sub;
    const promise = new Promise<number>((resolve, reject) => s.waiters.push({ resolve, reject }));
    if (this.statusValue === 'open') this.sendSubscribe(s);
    return promise;
  }

  unsubscribe(masterplan: string): void {
    if (!this.subscriptions.delete(masterplan)) return;
    this.sendRaw({ type: 'unsubscribe', masterplan });
  }

  /**
   * Submits a command. Resolves with the outcome: `ack` once durable, `reject` when the
   * server refused it (nothing written). Never rejects the promise except through close().
   */
  submit(masterplan: string, command: Command, options: SubmitOptions = {}): Promise<SubmitOutcome> {
    const sub = this.subscriptions.get(masterplan);
    const baseVersion = options.baseVersion ?? (sub ? sub.version : undefined);
    return new Promise<SubmitOutcome>((resolve) => {
      const entry: PendingEntry = {
        commandId: options.commandId ?? this.options.newCommandId(),
        masterplan,
        command,
        baseVersion,
        state: 'queued',
        attempts: 0,
        retries: 0,
        resolve,
      };
      this.pendingList.push(entry);
      if (this.statusValue === 'open') this.sendSubmit(entry);
      this.emitPending(masterplan);
    });
  }

  private sendSubmit(entry: PendingEntry): void {
    const sent = this.sendRaw({
      type: 'submit',
      commandId: entry.commandId,
      masterplan: entry.masterplan,
      ...(entry.baseVersion !== undefined ? { baseVersion: entry.baseVersion } : {}),
      command: entry.command,
    });
    if (sent) {
      entry.state = 'sent';
      entry.attempts += 1;
    }
  }

  /** Says where this user is looking (`null`: nowhere in particular); repeated as heartbeat. */
  setFocus(masterplan: string, focus: Focus): void {
    const sub = this.subscriptions.get(masterplan);
    if (sub === undefined) return;
    sub.focus = focus ?? null;
    this.sendRaw({ type: 'presence', masterplan, focus: sub.focus });
  }

  /**
   * Gives the open session a fresh token of the same user (a second `hello` on the same
   * socket; docs/protocol.md, "Session life cycle"): subscriptions, presence and pending
   * commands carry on. Resolves with the new welcome; rejects when the server refuses it or
   * the socket is not open (the next reconnect asks the token function anyway).
   */
  renew(token: string): Promise<WelcomeMessage> {
    if (this.statusValue !== 'open') {
      return Promise.reject(new RembukConnectionError('not connected', 'not_open'));
    }
    this.failRenewal(new RembukConnectionError('superseded by a newer renewal', 'superseded'));
    const id = this.nextRequestId();
    const promise = new Promise<WelcomeMessage>((resolve, reject) => {
      this.renewal = { id, resolve, reject };
    });
    if (!this.sendRaw({ type: 'hello', id, token })) {
      this.failRenewal(new RembukConnectionError('not connected', 'not_open'));
    }
    return promise;
  }

  private failRenewal(error: Error): void {
    const renewal = this.renewal;
    this.renewal = null;
    renewal?.reject(error);
  }

  /** Sends a ping (the server answers pong); normally automatic. */
  ping(): void {
    this.sendRaw({ type: 'ping' });
  }
}
