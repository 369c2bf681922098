// RembukClient against a scripted WebSocket server (test/fake-server.ts): the protocol
// handling that the real server cannot be made to show on demand (dropped connections at a
// chosen moment, a gap, transient rejects). The same behaviour is exercised against the real
// `rembuk serve` in integration.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  RembukClient,
  applyEvent,
  applyPending,
  emptyState,
  type Command,
  type MasterplanState,
  type PendingCommand,
  type PresenceMember,
  type StatusChange,
  type StoredEvent,
  type WebSocketConstructor,
} from '../src/index.js';
import { FakeServer } from './fake-server.js';

let server: FakeServer;
let clients: RembukClient[] = [];

beforeEach(async () => {
  server = await FakeServer.start();
});
afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await server.close();
});

function client(extra: Partial<ConstructorParameters<typeof RembukClient>[0]> = {}): RembukClient {
  const c = new RembukClient({
    url: server.url,
    token: 'tok-1',
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    backoff: { initialMs: 20, maxMs: 100 },
    ...extra,
  });
  clients.push(c);
  return c;
}

function event(version: number, type = 'VisionSet', payload: object = { text: `v${version}`, previousText: '' }): StoredEvent {
  return {
    version,
    position: version + 100,
    type,
    schemaVersion: 1,
    time: '2026-11-24T15:00:00Z',
    actor: 'u-test',
    commandId: `c-${version}`,
    payload: payload as Record<string, unknown>,
  };
}

function until(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

describe('RembukClient', () => {
  it('says hello with the token and resolves connect() with the welcome', async () => {
    const c = client();
    const statuses: string[] = [];
    c.on('status', (s: StatusChange) => statuses.push(s.status));
    const welcome = await c.connect();
    expect(welcome.session).toBe('s-1');
    expect(server.ofType('hello')[0]).toEqual({ type: 'hello', token: 'tok-1' });
    expect(statuses).toEqual(['connecting', 'authenticating', 'open']);
    expect(c.status).toBe('open');
  });

  it('asks a token function for a fresh token on every connect', async () => {
    let n = 0;
    const c = client({ token: () => `tok-${++n}` });
    await c.connect();
    c.dropConnection();
    await server.next('hello', (m) => m.token === 'tok-2');
  });

  it('fails connect() on invalid_token without retrying', async () => {
    server.onHello = (socket) => server.send(socket, { type: 'error', code: 'invalid_token', message: 'bad signature', ref: 'hello' });
    const c = client();
    await expect(c.connect()).rejects.toMatchObject({ code: 'invalid_token' });
    expect(c.status).toBe('closed');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.ofType('hello')).toHaveLength(1);
  });

  it('renews the token on the open socket: no reconnect, no resubscribe, no resubmit', async () => {
    const c = client();
    await c.connect();
    const subscribed = c.subscribe('padang-2019');
    const sub = await server.next('subscribe');
    server.send(sub.socket, { type: 'events', id: sub.message.id, masterplan: 'padang-2019', events: [event(1)], version: 1, catchUp: true });
    await subscribed;
    // The server echoes the renewal's id on its welcome (docs/protocol.md).
    server.onHello = (socket) =>
      server.send(socket, { type: 'welcome', id: server.ofType('hello').at(-1)!.id, session: 's-1', user: 'u-test', roles: ['tim_pelaksana'], server: { version: 'fake' } });
    const statuses: string[] = [];
    c.on('status', (s: StatusChange) => statuses.push(s.status));
    const welcome = await c.renew('tok-2');
    expect(welcome.session).toBe('s-1');
    expect(server.ofType('hello').at(-1)).toMatchObject({ type: 'hello', token: 'tok-2' });
    expect(server.sockets).toHaveLength(1);
    expect(server.ofType('subscribe')).toHaveLength(1);
    expect(statuses).toEqual([]);
    expect(c.status).toBe('open');
  });

  it('keeps the connection when the server refuses a renewal', async () => {
    const c = client();
    await c.connect();
    server.onHello = (socket) =>
      server.send(socket, { type: 'error', id: server.ofType('hello').at(-1)!.id, code: 'already_authenticated', message: 'a new token must name the same user', ref: 'hello' });
    await expect(c.renew('tok-other')).rejects.toMatchObject({ code: 'already_authenticated' });
    await new Promise((r) => setTimeout(r, 50));
    expect(c.status).toBe('open');
    expect(server.sockets).toHaveLength(1);
  });

  it('does not reconnect after a close 1008 "signed out" and says so', async () => {
    const c = client();
    await c.connect();
    const signedOut: string[] = [];
    c.on('signedOut', (e) => signedOut.push(`${e.code} ${e.reason} ${e.message}`));
    const socket = server.sockets[0];
    server.send(socket, { type: 'error', code: 'invalid_token', message: 'signed out: the account was disabled or the session ended' });
    socket.close(1008, 'signed out');
    await until(() => signedOut.length === 1);
    expect(signedOut[0]).toBe('1008 signed out signed out: the account was disabled or the session ended');
    expect(c.status).toBe('closed');
    await new Promise((r) => setTimeout(r, 150));
    expect(server.ofType('hello')).toHaveLength(1);
  });

  it('subscribes, tracks the version, ignores duplicates and resolves after catch-up', async () => {
    const c = client();
    await c.connect();
    const got: number[][] = [];
    c.on('events', (m) => got.push(m.events.map((e) => e.version)));
    const subscribed = c.subscribe('padang-2019');
    const { socket, message } = await server.next('subscribe');
    expect(message).toMatchObject({ masterplan: 'padang-2019', fromVersion: 0 });
    server.send(socket, { type: 'events', id: message.id, masterplan: 'padang-2019', events: [event(1), event(2)], version: 2, catchUp: true });
    expect(await subscribed).toBe(2);
    server.send(socket, { type: 'events', masterplan: 'padang-2019', events: [event(2), event(3)], version: 3 });
    await until(() => got.length === 2);
    expect(got).toEqual([[1, 2], [3]]);
    expect(c.version('padang-2019')).toBe(3);
  });

  it('submits with a fresh commandId and the current base version; ack resolves', async () => {
    const c = client();
    await c.connect();
    const sub = c.subscribe('m');
    const s = await server.next('subscribe');
    server.send(s.socket, { type: 'events', masterplan: 'm', events: [event(1), event(2), event(3)], version: 3, catchUp: true });
    await sub;
    const outcome = c.submit('m', { type: 'SetVision', text: 'Padang pintar' });
    const { socket, message } = await server.next('submit');
    expect(message).toMatchObject({ masterplan: 'm', baseVersion: 3, command: { type: 'SetVision', text: 'Padang pintar' } });
    expect(String(message.commandId)).toMatch(/^c-/);
    const second = c.submit('m', { type: 'SetVision', text: 'again' });
    const m2 = await server.next('submit', (m) => m.commandId !== message.commandId);
    expect(m2.message.commandId).not.toBe(message.commandId);
    server.send(socket, { type: 'ack', commandId: message.commandId, masterplan: 'm', version: 4 });
    expect(await outcome).toEqual({ status: 'ack', commandId: message.commandId, masterplan: 'm', version: 4, duplicate: false });
    // Acked but its events not yet seen: still shown optimistically.
    expect(c.pending('m').map((p) => p.state)).toEqual(['acked', 'sent']);
    server.send(socket, { type: 'events', masterplan: 'm', events: [event(4)], version: 4 });
    await until(() => c.pending('m').length === 1);
    server.send(socket, { type: 'reject', commandId: m2.message.commandId, masterplan: 'm', code: 'status.locked', message: 'approved', violations: [] });
    expect(await second).toMatchObject({ status: 'reject', code: 'status.locked' });
    expect(c.pending('m')).toEqual([]);
  });

  it('marks a command whose own event arrives before its ack, so it is not laid over twice', async () => {
    const c = client();
    await c.connect();
    const sub = c.subscribe('m');
    const s = await server.next('subscribe');
    server.send(s.socket, { type: 'events', masterplan: 'm', events: [event(1)], version: 1, catchUp: true });
    await sub;
    let state: MasterplanState = { ...emptyState('m'), version: 1 };
    let pending: PendingCommand[] = [];
    c.on('pending', (p) => (pending = p.pending));
    c.on('events', (m) => {
      for (const e of m.events) state = applyEvent(state, e) ?? state;
    });
    const command: Command = { type: 'RegisterOpd', opdId: 'dispora', name: 'Dinas Pemuda dan Olahraga' };
    const outcome = c.submit('m', command);
    const { socket, message } = await server.next('submit');
    const registered = { ...event(2, 'OpdRegistered', { opdId: 'dispora', name: 'Dinas Pemuda dan Olahraga', shortName: '' }), commandId: String(message.commandId) };
    server.send(socket, { type: 'events', masterplan: 'm', events: [registered], version: 2 });
    await until(() => state.version === 2);
    expect(pending).toMatchObject([{ state: 'sent', landedVersion: 2 }]);
    expect(applyPending(state, pending).opds.map((o) => o.opdId)).toEqual(['dispora']);
    server.send(socket, { type: 'ack', commandId: message.commandId, masterplan: 'm', version: 2 });
    expect(await outcome).toMatchObject({ status: 'ack', version: 2 });
    await until(() => pending.length === 0);
  });

  it('shows pending commands optimistically and rolls back on reject', async () => {
    const c = client();
    await c.connect();
    const base = { ...emptyState('m'), vision: 'lama' };
    const views: string[] = [];
    c.on('pending', ({ pending }) => views.push(applyPending(base, pending).vision));
    const outcome = c.submit('m', { type: 'SetVision', text: 'baru' });
    const { socket, message } = await server.next('submit');
    server.send(socket, {
      type: 'reject',
      commandId: message.commandId,
      masterplan: 'm',
      code: 'conflict',
      message: 'changed',
      violations: [{ code: 'conflict', path: '/command', detail: { field: 'masterplan/vision', touched: 'masterplan/vision', currentValue: 'lain', changedBy: 'u-rina', changedAtVersion: 5, baseVersion: 4 } }],
    });
    const result = await outcome;
    expect(result.status).toBe('reject');
    expect(views).toEqual(['baru', 'lama']);
  });

  it('reconnects with backoff, resubscribes from the last version and resubmits pending with the same id', async () => {
    const c = client();
    const statuses: StatusChange[] = [];
    c.on('status', (s) => statuses.push(s));
    await c.connect();
    const sub = c.subscribe('m');
    const s1 = await server.next('subscribe');
    server.send(s1.socket, { type: 'events', masterplan: 'm', events: [event(1), event(2)], version: 2, catchUp: true });
    await sub;
    const outcome = c.submit('m', { type: 'SetQuickWin', programId: 'p-1', quickWin: true });
    const first = await server.next('submit');
    const before = server.received.length;
    first.socket.terminate(); // the network fails before the ack
    const s2 = await server.next('subscribe', () => true, before);
    expect(s2.message).toMatchObject({ masterplan: 'm', fromVersion: 2 });
    const again = await server.next('submit', () => true, before);
    expect(again.message.commandId).toBe(first.message.commandId);
    expect(again.message.baseVersion).toBe(2);
    // The subscribe is sent before the resubmit.
    expect(server.received.indexOf(s2)).toBeLessThan(server.received.indexOf(again));
    server.send(again.socket, { type: 'ack', commandId: again.message.commandId, masterplan: 'm', version: 3, duplicate: true });
    expect(await outcome).toMatchObject({ status: 'ack', duplicate: true, version: 3 });
    const reconnecting = statuses.find((s) => s.status === 'reconnecting');
    expect(reconnecting?.attempt).toBe(1);
    expect(reconnecting?.delayMs).toBeGreaterThanOrEqual(10);
    expect(reconnecting?.delayMs).toBeLessThanOrEqual(20);
  });

  it('grows the backoff exponentially with jitter, up to the maximum', () => {
    const lo = client({ random: () => 0, backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 } });
    const hi = client({ random: () => 0.999999, backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 } });
    expect([1, 2, 3, 4, 5, 9].map((n) => lo.backoffDelay(n))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 9].map((n) => hi.backoffDelay(n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('resolves a second submit of an already acked command id with its own (duplicate) ack', async () => {
    const c = client();
    await c.connect();
    c.subscribe('m').catch(() => undefined);
    const s = await server.next('subscribe');
    server.send(s.socket, { type: 'events', masterplan: 'm', events: [], version: 0, catchUp: true });
    const first = c.submit('m', { type: 'SetVision', text: 'x' }, { commandId: 'c-same' });
    const m1 = await server.next('submit');
    server.send(m1.socket, { type: 'ack', commandId: 'c-same', masterplan: 'm', version: 1 });
    expect((await first).status).toBe('ack');
    // Its events have not arrived yet, so the first entry is still pending (acked).
    const count = server.received.length;
    const second = c.submit('m', { type: 'SetVision', text: 'x' }, { commandId: 'c-same' });
    const m2 = await server.next('submit', () => true, count);
    server.send(m2.socket, { type: 'ack', commandId: 'c-same', masterplan: 'm', version: 1, duplicate: true });
    expect(await second).toMatchObject({ status: 'ack', duplicate: true, version: 1 });
  });

  it('retries a rate_limited submit with the same command id', async () => {
    const c = client();
    await c.connect();
    const outcome = c.submit('m', { type: 'SetVision', text: 'x' });
    const first = await server.next('submit');
    const count = server.received.length;
    server.send(first.socket, { type: 'reject', commandId: first.message.commandId, masterplan: 'm', code: 'rate_limited', message: 'slow down', violations: [] });
    const retry = await server.next('submit', () => true, count);
    expect(retry.message.commandId).toBe(first.message.commandId);
    server.send(retry.socket, { type: 'ack', commandId: retry.message.commandId, masterplan: 'm', version: 1 });
    expect((await outcome).status).toBe('ack');
  });

  it('tracks presence of other sessions, not its own, and announces itself on subscribe', async () => {
    const c = client();
    await c.connect();
    const seen: PresenceMember[][] = [];
    c.on('presence', (p) => seen.push(p.members));
    c.subscribe('m').catch(() => undefined);
    const s = await server.next('subscribe');
    const hello = await server.next('presence');
    expect(hello.message).toEqual({ type: 'presence', masterplan: 'm', focus: null });
    server.send(s.socket, { type: 'presence', masterplan: 'm', user: 'u-me', session: 's-1', focus: null, state: 'active' });
    server.send(s.socket, { type: 'presence', masterplan: 'm', user: 'u-rina', session: 's-9', focus: { entity: 'program/p-1', field: 'title' }, state: 'active' });
    await until(() => seen.length === 1);
    expect(c.presence('m').map((m) => [m.user, m.focus])).toEqual([['u-rina', { entity: 'program/p-1', field: 'title' }]]);
    c.setFocus('m', { entity: 'program/p-2', field: 'budget' });
    await server.next('presence', (m) => (m.focus as { entity?: string } | null)?.entity === 'program/p-2');
    server.send(s.socket, { type: 'presence', masterplan: 'm', user: 'u-rina', session: 's-9', state: 'left' });
    await until(() => seen.length === 2);
    expect(c.presence('m')).toEqual([]);
  });

  it('recovers from a gap by subscribing again from the last version', async () => {
    const c = client();
    await c.connect();
    const sub = c.subscribe('m');
    const s = await server.next('subscribe');
    server.send(s.socket, { type: 'events', masterplan: 'm', events: [event(1)], version: 1, catchUp: true });
    await sub;
    const count = server.received.length;
    server.send(s.socket, { type: 'events', masterplan: 'm', events: [event(3)], version: 3 });
    const again = await server.next('subscribe', () => true, count);
    expect(again.message).toMatchObject({ fromVersion: 1 });
    expect(c.version('m')).toBe(1);
  });

  it('resolves pending submits as rejected (code closed) when closed', async () => {
    const c = client();
    await c.connect();
    const outcome = c.submit('m', { type: 'SetVision', text: 'x' });
    await server.next('submit');
    c.close();
    expect(await outcome).toMatchObject({ status: 'reject', code: 'closed' });
  });
});
