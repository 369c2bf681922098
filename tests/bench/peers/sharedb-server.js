// A ShareDB 7 server for tests/bench/compare.sh: ShareDB's own WebSocket setup (ws +
// @teamwork/websocket-json-stream, as in ShareDB's examples) on 127.0.0.1 only.
//   node sharedb-server.js --db memory
//   node sharedb-server.js --db postgres --pg postgresql://USER@127.0.0.1:PORT/DB
// The port is chosen by the system; the first line on stdout is "listening on PORT".
'use strict';
const http = require('http');
const WebSocket = require('ws');
const ShareDB = require('sharedb');
const WebSocketJSONStream = require('@teamwork/websocket-json-stream');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const mode = arg('--db', 'memory');

let db;
if (mode === 'postgres') {
  const PostgresDB = require('sharedb-postgres');
  // A pool as large as the load generator's clients, so no op waits for a connection.
  db = new PostgresDB({connectionString: arg('--pg'), max: 64});
} else if (mode !== 'memory') {
  console.error(`sharedb-server: unknown --db ${mode}`);
  process.exit(2);
}
const backend = new ShareDB(db ? {db} : {});

const server = http.createServer();
const wss = new WebSocket.Server({server});
wss.on('connection', (ws) => backend.listen(new WebSocketJSONStream(ws)));
server.listen(Number(arg('--port', '0')), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
const stop = () => backend.close(() => server.close(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
