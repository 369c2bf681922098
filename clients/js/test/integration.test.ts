// RembukClient against a real `rembuk serve` (REMBUK_BIN), started by this file on a fresh
// data folder with the Padang example imported. Skipped when REMBUK_BIN is not set (the CI
// command, tests/browser/run.sh, always sets it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  RembukClient,
  RembukHttp,
  type ConflictDetail,
  type EventsMessage,
  type PresenceMember,
  type WebSocketConstructor,
} from '../src/index.js';
import { startRembuk, type RunningRembuk } from '../../../tests/browser/rembuk-server.mjs';

const bin = process.env.REMBUK_BIN;
const MP = 'padang-2019';

function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe.skipIf(!bin)('against a real rembuk serve', () => {
  let server: RunningRembuk;
  let suardi: string;
  let bappeda: string;
  let viewer: string;
  const clients: RembukClient[] = [];

  function client(token: string, initialMs = 50): RembukClient {
    const c = new RembukClient({
      url: server.wsUrl,
      token,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      backoff: { initialMs, maxMs: Math.max(500, initialMs), jitter: 0 },
    });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    server = await startRembuk();
    suardi = await server.token('u-suardi', 'tim_pelaksana');
    bappeda = await server.token('u-tim-bappeda', 'tim_pelaksana');
    viewer = await server.token('u-tamu', 'viewer');
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
  });

  it('says hello and gets a welcome with the token’s user and roles', async () => {
    const c = client(suardi);
    const welcome = await c.connect();
    expect(welcome.user).toBe('u-suardi');
    expect(welcome.roles).toEqual(['tim_pelaksana']);
    expect(typeof welcome.server.version).toBe('string');
  });

  it('refuses a bad token without retrying', async () => {
    const c = client(`${suardi.slice(0, -4)}AAAA`);
    await expect(c.connect()).rejects.toMatchObject({ code: 'invalid_token' });
    expect(c.status).toBe('closed');
  });

  it('catches up the imported history in order and reads the same state over HTTP', async () => {
    const c = client(suardi);
    await c.connect();
    const versions: number[] = [];
    c.on('events', (m: EventsMessage) => versions.push(...m.events.map((e) => e.version)));
    const version = await c.subscribe(MP);
    expect(version).toBeGreaterThan(200);
    expect(versions).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    const http = new RembukHttp({ baseUrl: server.base, token: suardi });
    const state = await http.state(MP);
    expect(state.ok && state.body.version).toBe(version);
    const past = await http.state(MP, 1);
    expect(past.ok && past.body.state.programs).toEqual([]);
  });

  it('submits with the base version; the ack comes with the new version; others see the events live', async () => {
    const a = client(suardi);
    const b = client(bappeda);
    await Promise.all([a.connect(), b.connect()]);
    await Promise.all([a.subscribe(MP), b.subscribe(MP)]);
    const seen: string[] = [];
    b.on('events', (m) => seen.push(...m.events.map((e) => e.type)));
    const before = a.version(MP);
    const outcome = await a.submit(MP, { type: 'SetVision', text: 'Padang kota cerdas, uji integrasi' });
    expect(outcome).toMatchObject({ status: 'ack', version: before + 1, duplicate: false });
    await until(() => seen.includes('VisionSet'));
    await until(() => a.pending(MP).length === 0);
    expect(b.version(MP)).toBe(before + 1);
  });

  it('rejects a stale edit of the same field as a conflict naming who changed it', async () => {
    const a = client(suardi);
    const b = client(bappeda);
    await Promise.all([a.connect(), b.connect()]);
    await Promise.all([a.subscribe(MP), b.subscribe(MP)]);
    const http = new RembukHttp({ baseUrl: server.base, token: suardi });
    const state = await http.state(MP);
    if (!state.ok) throw new Error('no state');
    const program = state.body.state.programs[0];
    const base = state.body.version;
    const first = await a.submit(MP, { type: 'UpdateProgram', programId: program.programId, title: `${program.title} (A)` }, { baseVersion: base });
    expect(first.status).toBe('ack');
    const second = await b.submit(MP, { type: 'UpdateProgram', programId: program.programId, title: `${program.title} (B)` }, { baseVersion: base });
    expect(second.status).toBe('reject');
    if (second.status !== 'reject') return;
    expect(second.code).toBe('conflict');
    const detail = second.violations.find((v) => v.code === 'conflict')?.detail as ConflictDetail;
    expect(detail.changedBy).toBe('u-suardi');
    expect(detail.currentValue).toBe(`${program.title} (A)`);
    expect(b.pending(MP)).toEqual([]);
    // A different field from the same base is rebased and accepted.
    const other = await b.submit(MP, { type: 'UpdateProgram', programId: program.programId, description: 'deskripsi baru' }, { baseVersion: base });
    expect(other.status).toBe('ack');
  });

  it('answers a resubmitted command id with the original ack (duplicate) and writes nothing', async () => {
    const a = client(suardi);
    await a.connect();
    await a.subscribe(MP);
    const once = await a.submit(MP, { type: 'SetVision', text: 'sekali saja' }, { commandId: 'c-integration-dup' });
    const twice = await a.submit(MP, { type: 'SetVision', text: 'sekali saja' }, { commandId: 'c-integration-dup' });
    expect(once.status).toBe('ack');
    expect(twice).toMatchObject({ status: 'ack', duplicate: true });
    if (once.status === 'ack' && twice.status === 'ack') expect(twice.version).toBe(once.version);
  });

  it('reconnects, resubscribes from its last version without gap, and resubmits what was pending', async () => {
    const a = client(suardi, 800); // reconnects 800 ms after the drop
    const b = client(bappeda);
    await Promise.all([a.connect(), b.connect()]);
    await Promise.all([a.subscribe(MP), b.subscribe(MP)]);
    const versions: number[] = [];
    a.on('events', (m) => versions.push(...m.events.map((e) => e.version)));
    const start = a.version(MP);
    a.dropConnection();
    await until(() => a.status !== 'open');
    // While A is away: B edits, and A queues an edit of its own.
    const byB = await b.submit(MP, { type: 'SetVision', text: 'diubah saat A terputus' });
    expect(byB.status).toBe('ack');
    const byA = a.submit(MP, { type: 'AddMission', missionId: 'm-integration', text: 'Misi dari A setelah sambung ulang' });
    expect(a.pending(MP).map((p) => p.state)).toEqual(['queued']);
    const outcome = await byA;
    expect(outcome.status).toBe('ack');
    await until(() => a.version(MP) === (outcome.status === 'ack' ? outcome.version : -1));
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => start + 1 + i));
    expect(a.status).toBe('open');
  });

  it('shares presence: the other member appears with their focus, and leaves', async () => {
    const a = client(suardi);
    const b = client(bappeda);
    await Promise.all([a.connect(), b.connect()]);
    await Promise.all([a.subscribe(MP), b.subscribe(MP)]);
    let members: PresenceMember[] = [];
    b.on('presence', (p) => (members = p.members));
    const session = a.welcome!.session;
    a.setFocus(MP, { entity: 'program/x', field: 'title' });
    await until(() => members.some((m) => m.session === session && m.user === 'u-suardi' && (m.focus as { field?: string } | null)?.field === 'title'));
    a.close();
    await until(() => !members.some((m) => m.session === session));
  });

  it('a viewer may read but its submits are refused as forbidden', async () => {
    const v = client(viewer);
    await v.connect();
    await v.subscribe(MP);
    const outcome = await v.submit(MP, { type: 'SetVision', text: 'tidak boleh' });
    expect(outcome).toMatchObject({ status: 'reject', code: 'forbidden' });
  });
});
