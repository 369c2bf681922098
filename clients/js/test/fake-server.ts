// A scripted WebSocket server on 127.0.0.1:0 for the client's unit tests: it records every
// message and lets a test answer (or drop the connection) as the real server would.
import { WebSocketServer, type WebSocket } from 'ws';

export interface Received {
  socket: WebSocket;
  message: Record<string, unknown> & { type: string };
}

export class FakeServer {
  readonly wss: WebSocketServer;
  readonly received: Received[] = [];
  readonly sockets: WebSocket[] = [];
  private waiters: Array<{ match: (r: Received) => boolean; resolve: (r: Received) => void }> = [];
  /** Answer hello automatically (default: welcome with session s-N). */
  onHello: (socket: WebSocket, token: string, n: number) => void = (socket, _token, n) =>
    this.send(socket, {
      type: 'welcome',
      session: `s-${n}`,
      user: 'u-test',
      roles: ['tim_pelaksana'],
      server: { version: 'fake', presenceTtlMs: 30000 },
    });
  private hellos = 0;

  private constructor(wss: WebSocketServer) {
    this.wss = wss;
    wss.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as Received['message'];
        const r = { socket, message };
        this.received.push(r);
        if (message.type === 'hello') {
          this.hellos += 1;
          this.onHello(socket, String(message.token), this.hellos);
        }
        for (const w of [...this.waiters]) {
          if (w.match(r)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(r);
          }
        }
      });
    });
  }

  static start(): Promise<FakeServer> {
    return new Promise((resolve) => {
      const wss: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => {
        resolve(new FakeServer(wss));
      });
    });
  }

  get url(): string {
    const address = this.wss.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected address');
    return `ws://127.0.0.1:${address.port}/ws`;
  }

  send(socket: WebSocket, message: unknown): void {
    socket.send(JSON.stringify(message));
  }

  /** The next message of `type` (matching `filter`), already received or still to come. */
  next(type: string, filter: (m: Received['message']) => boolean = () => true, after = 0): Promise<Received> {
    const match = (r: Received) => r.message.type === type && filter(r.message);
    const found = this.received.slice(after).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${type}`)), 5000);
      this.waiters.push({
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  ofType(type: string): Received['message'][] {
    return this.received.filter((r) => r.message.type === type).map((r) => r.message);
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
