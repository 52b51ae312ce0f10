/**
 * Every open push connection of the reference server, WebSocket and SSE alike, per user: a
 * balance change reaches all of that user's connections (and the SSE replay buffer), the
 * heartbeat reaches every connection, and the counts say what is open right now.
 */
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { sseEvent, ssePing } from './balance-frames.js';
import { EventLog } from './event-log.js';

export interface ConnectionCounts {
  /** Users with at least one open connection. */
  users: Record<string, { websocket: number; sse: number }>;
  websocket: number;
  sse: number;
}

export class PushHub {
  readonly log = new EventLog();
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly streams = new Map<string, Set<ServerResponse>>();

  addSocket(userId: string, socket: WebSocket): void {
    track(this.sockets, userId, socket);
    socket.on('close', () => untrack(this.sockets, userId, socket));
  }

  addStream(userId: string, stream: ServerResponse): void {
    track(this.streams, userId, stream);
    stream.on('close', () => untrack(this.streams, userId, stream));
  }

  /** A balance change: logged for replay, then sent to every connection of that user. */
  publish(userId: string, type: string, data: string): void {
    const event = this.log.append(userId, type, data);
    for (const socket of this.sockets.get(userId) ?? []) socket.send(data);
    const frame = sseEvent({ id: event.id, event: type, data });
    for (const stream of this.streams.get(userId) ?? []) stream.write(frame);
  }

  heartbeat(): void {
    for (const set of this.sockets.values())
      for (const socket of set) socket.send('{"type":"ping"}');
    for (const set of this.streams.values()) for (const stream of set) stream.write(ssePing);
  }

  /** Cuts every connection without a goodbye, as a network failure would. */
  dropAll(): void {
    for (const set of this.sockets.values()) for (const socket of set) socket.terminate();
    for (const set of this.streams.values()) for (const stream of set) stream.destroy();
  }

  connections(): ConnectionCounts {
    const counts: ConnectionCounts = { users: {}, websocket: 0, sse: 0 };
    const users = new Set([...this.sockets.keys(), ...this.streams.keys()]);
    for (const userId of users) {
      const websocket = this.sockets.get(userId)?.size ?? 0;
      const sse = this.streams.get(userId)?.size ?? 0;
      if (websocket + sse === 0) continue;
      counts.users[userId] = { websocket, sse };
      counts.websocket += websocket;
      counts.sse += sse;
    }
    return counts;
  }
}

function track<T>(map: Map<string, Set<T>>, userId: string, connection: T): void {
  const set = map.get(userId) ?? new Set<T>();
  set.add(connection);
  map.set(userId, set);
}

function untrack<T>(map: Map<string, Set<T>>, userId: string, connection: T): void {
  const set = map.get(userId);
  set?.delete(connection);
  if (set?.size === 0) map.delete(userId);
}
