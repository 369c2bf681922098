// The Hocuspocus adapter of rembuk-loadgen (tests/bench/loadgen): the same two workloads,
// the same JSON line, driven through the official clients (yjs + @hocuspocus/provider), one
// WebSocket per client as rembuk-loadgen uses. Written in Node rather than as a C++ encoder
// of Yjs updates: the provider is what Hocuspocus users run, and its acknowledgement (the
// server's SyncStatus reply, counted down in `unsyncedChanges`) is not part of plain y-protocols.
//
// An edit sets the `title` key of the Y.Map `program` in the document to the edit id;
// it is acknowledged when the provider's unsyncedChanges returns to 0.
//   node hocuspocus-loadgen.js --url ws://127.0.0.1:PORT edits --clients C --documents D --seconds S
//   node hocuspocus-loadgen.js --url ws://127.0.0.1:PORT fanout --subscribers S --rate R --seconds T
'use strict';
const WebSocket = require('ws');
const Y = require('yjs');
const {HocuspocusProvider} = require('@hocuspocus/provider');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const url = arg('--url');
const prefix = arg('--prefix', 'doc');
const scenario = args.find((a) => a === 'edits' || a === 'fanout');
if (!url || !scenario) {
  console.error('usage: hocuspocus-loadgen.js --url ws://HOST:PORT edits|fanout [options]');
  process.exit(2);
}

const now = () => Number(process.hrtime.bigint()) / 1e6;  // ms, monotonic
const percentile = (values, p) => {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor((p / 100) * (sorted.length - 1))];
};
const die = (why) => {
  console.error(`hocuspocus-loadgen: ${why}`);
  process.exit(1);
};

// A client: its own Y.Doc, provider and WebSocket; resolves once synced with the server.
function connect(name) {
  return new Promise((resolve) => {
    const document = new Y.Doc();
    const provider = new HocuspocusProvider({
      url,
      name,
      document,
      awareness: null,  // no presence, as the other systems' clients send none
      WebSocketPolyfill: WebSocket,
      onSynced: () => resolve({document, provider, map: document.getMap('program')}),
      onClose: ({event}) => {
        if (!closing) die(`a connection was lost (${event && event.code})`);
      },
    });
  });
}
let closing = false;

async function connectAll(names, parallel) {
  const clients = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      clients[i] = await connect(names[i]);
    }
  };
  await Promise.all(Array.from({length: Math.min(parallel, names.length)}, worker));
  return clients;
}

function finish(result, clients) {
  closing = true;
  console.log(JSON.stringify(result));
  for (const c of clients) c.provider.destroy();
  setTimeout(() => process.exit(0), 100);
}

async function edits() {
  const count = Number(arg('--clients', '32'));
  const documents = Number(arg('--documents', '8'));
  const seconds = Number(arg('--seconds', '10'));
  const names = Array.from({length: count}, (_, i) => `${prefix}-${i % documents}`);
  const clients = await connectAll(names, 100);
  const latencies = [];
  let acked = 0;
  const start = now();
  const end = start + seconds * 1000;
  let open = 0;
  await new Promise((resolve) => {
    clients.forEach((c, i) => {
      let sent = 0;
      let sentAt = 0;
      const submit = () => {
        sentAt = now();
        c.map.set('title', `e${process.pid}-${i}-${sent++}`);
      };
      c.provider.on('unsyncedChanges', ({number}) => {
        if (number !== 0 || sentAt === 0) return;
        const t = now();
        if (t <= end) {
          latencies.push(t - sentAt);
          acked++;
        }
        sentAt = 0;
        if (t < end) return submit();
        if (--open === 0) resolve();
      });
      open++;
      submit();
    });
    setTimeout(resolve, seconds * 1000 + 5000);  // the last acks, at most 5 s
  });
  const elapsed = (now() - start) / 1000;
  finish({system: 'hocuspocus', scenario: 'edits', clients: count, documents,
          edits_per_s: Math.round(acked / Math.min(elapsed, seconds)),
          p50_ms: +percentile(latencies, 50).toFixed(3), p99_ms: +percentile(latencies, 99).toFixed(3),
          acked, rejected: 0, seconds}, clients);
}

async function fanout() {
  const count = Number(arg('--subscribers', '500'));
  const rate = Number(arg('--rate', '20'));
  const seconds = Number(arg('--seconds', '10'));
  const name = `${prefix}-fanout`;
  const subscribers = await connectAll(Array(count).fill(name), 100);
  const writer = await connect(name);
  const sentAt = new Map();  // edit id → {t, received, last}
  const deliveries = [];
  for (const s of subscribers) {
    s.map.observe((event) => {
      if (!event.keysChanged.has('title')) return;
      const e = sentAt.get(s.map.get('title'));
      if (!e) return;
      const ms = now() - e.t;
      deliveries.push(ms);
      e.received++;
      e.last = ms;
    });
  }
  let sent = 0;
  let acked = 0;
  writer.provider.on('unsyncedChanges', ({number}) => { if (number === 0) acked++; });
  const start = now();
  await new Promise((resolve) => {
    const tick = () => {
      if (now() - start >= seconds * 1000) return resolve();
      const id = `f${process.pid}-${sent++}`;
      sentAt.set(id, {t: now(), received: 0, last: 0});
      writer.map.set('title', id);
      setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - now()));
    };
    tick();
  });
  const expected = sent * count;
  const drainUntil = now() + 5000;
  while (deliveries.length < expected && now() < drainUntil) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const all = [...sentAt.values()].filter((e) => e.received === count).map((e) => e.last);
  finish({system: 'hocuspocus', scenario: 'fanout', subscribers: count, rate,
          p50_ms: +percentile(deliveries, 50).toFixed(3), p99_ms: +percentile(deliveries, 99).toFixed(3),
          all_p50_ms: +percentile(all, 50).toFixed(3), all_p99_ms: +percentile(all, 99).toFixed(3),
          edits: sent, acked, deliveries: deliveries.length, missing: expected - deliveries.length},
         [...subscribers, writer]);
}

(scenario === 'edits' ? edits() : fanout()).catch((e) => die(e.stack || String(e)));
