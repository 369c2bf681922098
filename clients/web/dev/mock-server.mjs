// A development stand-in for `rembuk serve` (NOT used by the tests, which run the real
// server): the protocol of docs/protocol.md in memory, the state folded with the client
// library's optimistic reducer, field-level conflicts on the kernel's field keys. It lets the
// editor be worked on before the server exists.
//
//   npm run build -w @rembuk/client && node clients/web/dev/mock-server.mjs [PORT] [JSONL]
//   open http://127.0.0.1:PORT/#token=u-rina:tim_pelaksana&masterplan=padang-2019
//
// Tokens are "user:role[:opd]" (no signature: development only). Signing in imitates the
// account endpoints: any user id (or "user:role[:opd]") with the password "rahasia-123";
// invitation codes "demo" (pending, an OPD editor of Diskominfo), "used", "withdrawn",
// "expired". MOCK_TOKEN_TTL=SECONDS shortens the access token to watch a refresh.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { applyCommand, commandFieldKeys, emptyState } from '../../js/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.argv[2] ?? 8090);
const seed = process.argv[3] ?? join(here, '../../../examples/masterplans/padang-2019.jsonl');
const dist = join(here, '../dist');

const EVENT_OF = {
  CreateMasterplan: 'MasterplanCreated', SetMasterplanIdentity: 'MasterplanIdentitySet', SetMasterplanPeriod: 'MasterplanPeriodSet',
  SetRpjmdReference: 'RpjmdReferenceSet', SetVision: 'VisionSet', AddMission: 'MissionAdded', UpdateMission: 'MissionUpdated',
  RemoveMission: 'MissionRemoved', AddStrategicIssue: 'StrategicIssueAdded', UpdateStrategicIssue: 'StrategicIssueUpdated',
  RemoveStrategicIssue: 'StrategicIssueRemoved', AddReadinessEntry: 'ReadinessEntryAdded', UpdateReadinessEntry: 'ReadinessEntryUpdated',
  RemoveReadinessEntry: 'ReadinessEntryRemoved', RegisterOpd: 'OpdRegistered', RenameOpd: 'OpdRenamed', RetireOpd: 'OpdRetired',
  ReinstateOpd: 'OpdReinstated', AddProgram: 'ProgramAdded', UpdateProgram: 'ProgramUpdated', RemoveProgram: 'ProgramRemoved',
  SetProgramYears: 'ProgramYearsSet', SetProgramLeadOpd: 'ProgramLeadOpdSet', AddSupportingOpd: 'SupportingOpdAdded',
  RemoveSupportingOpd: 'SupportingOpdRemoved', SetQuickWin: 'ProgramQuickWinSet', SetProgramBudget: 'ProgramBudgetSet',
  RemoveProgramBudget: 'ProgramBudgetRemoved', AddIndicator: 'IndicatorAdded', UpdateIndicator: 'IndicatorUpdated',
  RemoveIndicator: 'IndicatorRemoved', SetIndicatorTarget: 'IndicatorTargetSet', RemoveIndicatorTarget: 'IndicatorTargetRemoved',
  AddMember: 'MemberAdded', ChangeMemberRole: 'MemberRoleChanged', RemoveMember: 'MemberRemoved', AddComment: 'CommentAdded',
  ResolveComment: 'CommentResolved', SubmitMasterplan: 'MasterplanSubmitted', StartReview: 'ReviewStarted',
  ApproveMasterplan: 'MasterplanApproved', ReopenMasterplan: 'MasterplanReopened', Undo: 'CommandUndone',
};

/** masterplan → { states: [state@0, state@1, …], events: [], changes: Map<key,{version,actor}>, commands: Map } */
const plans = new Map();
let position = 0;

function plan(id) {
  let p = plans.get(id);
  if (!p) {
    p = { states: [emptyState(id)], events: [], changes: new Map(), commands: new Map() };
    plans.set(id, p);
  }
  return p;
}

function decide(id, envelope, actor) {
  const p = plan(id);
  const prior = p.commands.get(envelope.commandId);
  if (prior) return { ok: true, version: prior, duplicate: true };
  const state = p.states[p.states.length - 1];
  const command = envelope.command;
  const keys = commandFieldKeys(command);
  if (envelope.baseVersion !== undefined) {
    for (const key of keys) {
      for (const [k, change] of p.changes) {
        if ((k === key || k.startsWith(`${key}/`) || key.startsWith(`${k}/`)) && change.version > envelope.baseVersion) {
          const current = currentValue(state, change.key);
          return {
            ok: false, code: 'conflict', message: `field ${change.key} changed`,
            violations: [{
              code: 'conflict', path: '/command',
              messageId: `Isian ${change.key} telah diubah oleh ${change.actor} pada versi ${change.version}, setelah versi ${envelope.baseVersion} yang Anda lihat`,
              messageEn: `Field ${change.key} was changed by ${change.actor} at version ${change.version}, after the version ${envelope.baseVersion} you saw`,
              detail: { field: change.key, touched: key, currentValue: current, changedBy: change.actor, changedAtVersion: change.version, baseVersion: envelope.baseVersion },
            }],
          };
        }
      }
    }
  }
  if (command.type === 'SetProgramYears' && command.startYear > command.endYear) {
    return { ok: false, code: 'program.years_reversed', message: 'start after end', violations: [{ code: 'program.years_reversed', path: '/command/startYear', messageId: 'Tahun mulai setelah tahun selesai', messageEn: 'Start year after end year' }] };
  }
  const next = command.type === 'CreateMasterplan'
    ? { ...state, exists: true, cityName: command.cityName, regionCode: command.regionCode, startYear: command.startYear, endYear: command.endYear, rpjmd: command.rpjmd ?? null, createdBy: actor }
    : command.type === 'AddMember'
      ? { ...state, members: [...state.members, { userId: command.userId, name: command.name, role: command.role, opdId: command.opdId ?? null, title: command.title ?? null }] }
      : applyCommand(state, command);
  const version = p.states.length;
  next.version = version;
  p.states.push(next);
  const { type, ...payload } = command;
  if (type === 'UpdateProgram') {
    const { programId, ...changes } = payload;
    payload.changes = changes;
    payload.previous = {};
    for (const k of Object.keys(changes)) delete payload[k];
    payload.programId = programId;
  }
  if (type === 'RemoveProgram') payload.program = state.programs.find((x) => x.programId === command.programId);
  position += 1;
  const event = { version, position, type: EVENT_OF[type] ?? type, schemaVersion: 1, time: new Date().toISOString(), actor, commandId: envelope.commandId, payload };
  p.events.push(event);
  p.commands.set(envelope.commandId, version);
  for (const key of keys) p.changes.set(key, { version, actor, key });
  return { ok: true, version, event };
}

function currentValue(state, key) {
  const parts = key.split('/');
  if (parts[0] === 'program') {
    const prog = state.programs.find((x) => x.programId === parts[1]);
    if (!prog) return null;
    if (parts[2] === 'years') return { startYear: prog.startYear, endYear: prog.endYear };
    if (parts[2] === 'budget') return prog.budget.find((l) => l.year === Number(parts[3]) && l.source === parts[4])?.amount ?? null;
    return prog[parts[2]] ?? null;
  }
  if (key === 'masterplan/vision') return state.vision;
  return null;
}

if (existsSync(seed)) {
  for (const line of readFileSync(seed, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const env = JSON.parse(line);
    const r = decide(env.masterplan, env, env.actor.user);
    if (!r.ok) console.error('seed reject', env.commandId, r.code);
  }
  console.log(`seeded ${[...plans.keys()].join(', ')}`);
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const http = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const json = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/healthz') return json(200, { status: 'ok', version: 'mock' });
  if (url.pathname.startsWith('/api/auth/') || url.pathname.startsWith('/api/invitations') || url.pathname.startsWith('/api/users')) {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => auth(req, url, body ? JSON.parse(body) : {}, res, json));
    return;
  }
  if (url.pathname === '/api/masterplans') {
    return json(200, { masterplans: [...plans].map(([id, p]) => ({ id, version: p.states.length - 1, lastPosition: position })) });
  }
  const m = /^\/api\/masterplans\/([^/]+)(?:\/(\w+))?$/.exec(url.pathname);
  if (m) {
    const p = plans.get(decodeURIComponent(m[1]));
    if (!p) return json(404, { error: 'not_found', message: 'no such masterplan' });
    if (m[2]) return json(501, { error: 'view_not_available', message: 'mock' });
    if (!bearer(req)) return json(401, { error: 'unauthorized', message: 'no token' });
    const at = url.searchParams.has('at') ? Math.min(Number(url.searchParams.get('at')), p.states.length - 1) : p.states.length - 1;
    return json(200, { masterplan: m[1], version: at, state: { ...p.states[at], version: at } });
  }
  let file = join(dist, url.pathname === '/' ? 'index.html' : url.pathname);
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});

function bearer(req) {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') && h.length > 7 ? h.slice(7) : null;
}

const TTL = Number(process.env.MOCK_TOKEN_TTL ?? 900);
const INVITES = { demo: 'pending', used: 'used', withdrawn: 'withdrawn', expired: 'expired' };
const disabled = new Set();
let refreshes = 0;
function auth(req, url, body, res, json) {
  const cookie = /rembuk_refresh=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const signIn = (token, displayName) => {
    refreshes += 1;
    res.setHeader('set-cookie', `rembuk_refresh=${encodeURIComponent(token)}; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=86400`);
    const [user, role] = token.split(':');
    const expiresAt = new Date(Date.now() + TTL * 1000).toISOString();
    return json(200, { accessToken: `${token}#${refreshes}`, expiresAt, expiresIn: TTL, user, displayName: displayName ?? user, roles: role === 'admin' ? ['admin'] : [], sessionId: 'mock-session' });
  };
  const p = url.pathname;
  if (p === '/api/auth/login') {
    if (body.password !== 'rahasia-123') return json(401, { error: 'invalid_credentials', message: 'wrong user or password' });
    const token = body.user.includes(':') ? body.user : `${body.user}:tim_pelaksana`;
    if (disabled.has(token.split(':')[0])) return json(403, { error: 'account_disabled', message: 'disabled' });
    return signIn(token);
  }
  if (p === '/api/auth/refresh') {
    if (!cookie || disabled.has(decodeURIComponent(cookie).split(':')[0])) return json(401, { error: 'missing_refresh', message: 'sign in again' });
    return signIn(decodeURIComponent(cookie));
  }
  if (p === '/api/auth/logout') {
    res.setHeader('set-cookie', 'rembuk_refresh=; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=0');
    return json(200, { signedOut: true });
  }
  if (p === '/api/auth/sessions') {
    const now = new Date().toISOString();
    return json(200, { sessions: [{ id: 'mock-session', active: true, current: true, createdAt: now, lastUsedAt: now, expiresAt: now, clientAddress: '127.0.0.1', userAgent: req.headers['user-agent'] }] });
  }
  const inv = /^\/api\/invitations\/([^/]+)(\/accept)?$/.exec(p);
  if (inv) {
    const status = INVITES[inv[1]];
    if (!status) return json(404, { error: 'invitation_not_found', message: 'no such invitation' });
    if (!inv[2]) return json(200, { status, kind: 'join', role: 'opd_editor', opd: 'diskominfo', masterplan: 'padang-2019', cityName: 'Kota Padang', expiresAt: new Date(Date.now() + 7 * 86400e3).toISOString() });
    if (status !== 'pending') return json(410, { error: `invitation_${status}`, message: status });
    if ((body.password ?? '').length < 10) return json(400, { error: 'password_too_short', message: 'at least 10' });
    const user = body.user || body.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '.');
    return signIn(`${user}:opd_editor:diskominfo`, body.displayName);
  }
  if (p === '/api/invitations') {
    if (req.method === 'POST') {
      return json(201, { id: 'i-1', code: 'demo', url: `http://${req.headers.host}/#invite=demo`, expiresAt: new Date(Date.now() + 7 * 86400e3).toISOString(), status: 'pending', role: body.role, opd: body.opd, createdAt: new Date().toISOString() });
    }
    return json(200, { invitations: [] });
  }
  const u = /^\/api\/users\/([^/]+)\/(disable|enable)$/.exec(p);
  if (u) {
    if (u[2] === 'disable') disabled.add(u[1]);
    else disabled.delete(u[1]);
    for (const c of wss.clients) {
      if (u[2] === 'disable' && c.rembukUser === u[1]) {
        c.send(JSON.stringify({ type: 'error', code: 'invalid_token', message: 'signed out: the account was disabled or the session ended' }));
        c.close(1008, 'signed out');
      }
    }
    return json(200, { user: u[1], displayName: u[1], disabled: u[2] === 'disable' });
  }
  if (p === '/api/users') return json(200, { users: [...disabled].map((x) => ({ user: x, displayName: x, disabled: true })) });
  return json(404, { error: 'not_found', message: 'mock' });
}

const rooms = new Map(); // masterplan → Set<session>
let sessions = 0;
const wss = new WebSocketServer({ server: http });
wss.on('connection', (socket) => {
  const s = { socket, id: `s-${++sessions}`, user: null, subs: new Set() };
  const send = (m) => socket.readyState === 1 && socket.send(JSON.stringify(m));
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.type === 'hello') {
      const [user, role = 'tim_pelaksana', opd] = String(msg.token).split('#')[0].split(':');
      s.user = user;
      socket.rembukUser = user;
      s.roles = [role];
      s.opd = opd;
      return send({ type: 'welcome', id: msg.id, session: s.id, user, roles: [role], ...(opd ? { opd } : {}), server: { version: 'mock', presenceTtlMs: 30000 } });
    }
    if (msg.type === 'ping') return send({ type: 'pong', id: msg.id });
    if (msg.type === 'subscribe') {
      const p = plan(msg.masterplan);
      s.subs.add(msg.masterplan);
      if (!rooms.has(msg.masterplan)) rooms.set(msg.masterplan, new Set());
      const room = rooms.get(msg.masterplan);
      room.add(s);
      const events = p.events.filter((e) => e.version > (msg.fromVersion ?? 0));
      send({ type: 'events', id: msg.id, masterplan: msg.masterplan, events, version: p.states.length - 1, catchUp: true });
      for (const o of room) if (o !== s && o.focusSet) send({ type: 'presence', masterplan: msg.masterplan, user: o.user, session: o.id, focus: o.focus, state: 'active' });
      return;
    }
    if (msg.type === 'presence') {
      s.focus = msg.focus ?? null;
      s.focusSet = true;
      for (const o of rooms.get(msg.masterplan) ?? []) {
        if (o !== s) o.socket.send(JSON.stringify({ type: 'presence', masterplan: msg.masterplan, user: s.user, session: s.id, focus: s.focus, state: 'active' }));
      }
      return;
    }
    if (msg.type === 'submit') {
      setTimeout(() => {
        const r = decide(msg.masterplan, msg, s.user);
        if (!r.ok) return send({ type: 'reject', commandId: msg.commandId, masterplan: msg.masterplan, code: r.code, message: r.message, violations: r.violations });
        send({ type: 'ack', commandId: msg.commandId, masterplan: msg.masterplan, version: r.version, ...(r.duplicate ? { duplicate: true } : {}) });
        if (r.event) {
          for (const o of rooms.get(msg.masterplan) ?? []) o.socket.send(JSON.stringify({ type: 'events', masterplan: msg.masterplan, events: [r.event], version: r.version }));
        }
      }, 15);
    }
  });
  socket.on('close', () => {
    for (const mp of s.subs) {
      rooms.get(mp)?.delete(s);
      for (const o of rooms.get(mp) ?? []) o.socket.send(JSON.stringify({ type: 'presence', masterplan: mp, user: s.user, session: s.id, focus: null, state: 'left' }));
    }
  });
});
http.listen(port, '127.0.0.1', () => console.log(`mock rembuk on http://127.0.0.1:${port}/`));
