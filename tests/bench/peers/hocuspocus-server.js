// A Hocuspocus 3 server for tests/bench/compare.sh with its default in-memory document
// handling (no persistence extension). Hocuspocus' own Server class binds every interface,
// so its Hocuspocus core is attached to a ws server on 127.0.0.1 instead (loopback only).
//   node hocuspocus-server.js        → first line on stdout: "listening on PORT"
'use strict';
const http = require('http');
const WebSocket = require('ws');
const {Hocuspocus} = require('@hocuspocus/server');

const hocuspocus = new Hocuspocus({quiet: true});
const server = http.createServer((request, response) => {
  response.writeHead(200);
  response.end('hocuspocus\n');
});
const wss = new WebSocket.Server({server});
wss.on('connection', (ws, request) => hocuspocus.handleConnection(ws, request));
const args = process.argv.slice(2);
const i = args.indexOf('--port');
server.listen(i >= 0 ? Number(args[i + 1]) : 0, '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
