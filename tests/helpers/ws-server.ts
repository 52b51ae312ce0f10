import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export { waitFor } from './wait-for.js';

/** A real `ws` server on 127.0.0.1 that tests can push through, kill, stop and restart. */
export class TestSocketServer {
  private server: WebSocketServer | null = null;
  port = 0;
  readonly connections: { path: string; socket: WebSocket }[] = [];

  /** `onConnection`: what the server does with each new socket (say, close it at once). */
  constructor(private readonly onConnection: (socket: WebSocket) => void = () => {}) {}

  async start(port = 0): Promise<this> {
    const server = new WebSocketServer({ host: '127.0.0.1', port });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    server.on('connection', (socket, request) => {
      this.connections.push({ path: request.url ?? '/', socket });
      this.onConnection(socket);
    });
    this.server = server;
    return this;
  }

  url(path = '/'): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  open(): WebSocket[] {
    return this.connections.filter((c) => c.socket.readyState === 1).map((c) => c.socket);
  }

  send(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const socket of this.open()) socket.send(text);
  }

  /** Drops every client without a closing handshake (a network failure). */
  killAll(): void {
    for (const socket of this.open()) socket.terminate();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
