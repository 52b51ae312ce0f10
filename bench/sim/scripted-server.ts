/**
 * The server every contender talks to: a ledger whose balances change on a schedule, a REST
 * read with latency drawn from the script, and sockets that announce each change
 * (`token-balance-updated`) to that user's connected sockets after a push delay. A read
 * returns the balance at the moment the request arrives, so a slow response can land after a
 * newer push: the out-of-order case the version guard exists for.
 */
import { hashUnit } from './random.js';
import { SimSocket } from './sim-socket.js';

export interface BalanceChange {
  at: number;
  userId: string;
  delta: number;
}

export interface ServerScript {
  seed: number;
  start: number;
  initial: Record<string, number>;
  changes: BalanceChange[];
  latencyMs: readonly [number, number];
  pushDelayMs: readonly [number, number];
  /** Every socket is cut for these spans (pushes sent meanwhile are lost). */
  socketOutages: { from: number; to: number }[];
}

export interface Payload {
  balance: number;
  version: number;
  updatedAt: number;
}

interface Version {
  at: number;
  balance: number;
  version: number;
}

export class ScriptedServer {
  requests = 0;
  /** Responses that landed after a push of a newer version had reached the client. */
  lateResponses = 0;
  private readonly pushedVersion = new Map<string, number>();
  private readonly history = new Map<string, Version[]>();
  /** Balances are unique per user and version, so a shown number tells whose and which it is. */
  private readonly owners = new Map<number, { userId: string; version: number }>();
  private readonly sockets = new Set<SimSocket>();
  private socketsUp = true;

  constructor(readonly script: ServerScript) {
    for (const [userId, balance] of Object.entries(script.initial)) {
      this.record(userId, { at: script.start, balance, version: 1 });
    }
    for (const change of [...script.changes].sort((a, b) => a.at - b.at)) {
      const versions = this.history.get(change.userId) ?? [];
      const last = versions.at(-1) as Version;
      this.record(change.userId, {
        at: change.at,
        balance: last.balance + change.delta,
        version: last.version + 1,
      });
    }
  }

  private record(userId: string, version: Version): void {
    if (this.owners.has(version.balance)) throw new Error(`balance ${version.balance} reused`);
    this.owners.set(version.balance, { userId, version: version.version });
    this.history.set(userId, [...(this.history.get(userId) ?? []), version]);
  }

  /** Schedules the changes' pushes and the outages on the (simulated) clock. */
  begin(now: () => number): void {
    for (const change of this.script.changes) {
      setTimeout(() => this.announce(change.userId, now()), change.at - now());
    }
    for (const outage of this.script.socketOutages) {
      setTimeout(() => this.setSocketsUp(false), outage.from - now());
      setTimeout(() => this.setSocketsUp(true), outage.to - now());
    }
  }

  valueAt(userId: string, time: number): Version {
    const versions = this.history.get(userId) ?? [];
    let current = versions[0] as Version;
    for (const version of versions) if (version.at <= time) current = version;
    return current;
  }

  ownerOf(balance: number): { userId: string; version: number } | undefined {
    return this.owners.get(balance);
  }

  /** Times at which some user's balance changes (for the staleness integral). */
  changeTimes(userId: string): Version[] {
    return this.history.get(userId) ?? [];
  }

  fetchBalance(userId: string, now: number, signal?: AbortSignal): Promise<Payload> {
    this.requests++;
    const value = this.valueAt(userId, now);
    const [min, max] = this.script.latencyMs;
    const latency = Math.round(min + hashUnit(this.script.seed, now, userId) * (max - min));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if ((this.pushedVersion.get(userId) ?? 0) > value.version) this.lateResponses++;
        resolve({ balance: value.balance, version: value.version, updatedAt: value.at });
      }, latency);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  }

  openSocket(userId: string): SimSocket {
    const socket = new SimSocket(userId);
    this.sockets.add(socket);
    // The handshake takes a moment; during an outage it waits for the end of it.
    setTimeout(() => {
      if (this.socketsUp && !socket.closed) socket.setConnected(true);
    }, 50);
    return socket;
  }

  closeSocket(socket: SimSocket): void {
    socket.close();
    this.sockets.delete(socket);
  }

  private setSocketsUp(up: boolean): void {
    this.socketsUp = up;
    for (const socket of this.sockets) socket.setConnected(up);
  }

  private announce(userId: string, now: number): void {
    const value = this.valueAt(userId, now);
    const [min, max] = this.script.pushDelayMs;
    for (const socket of this.sockets) {
      if (!socket.connected || socket.userId !== userId) continue;
      const delay = Math.round(
        min + hashUnit(this.script.seed, now, 'push', socket.id) * (max - min),
      );
      setTimeout(() => {
        if (!socket.connected) return;
        this.pushedVersion.set(
          userId,
          Math.max(this.pushedVersion.get(userId) ?? 0, value.version),
        );
        socket.deliver({
          userId,
          balance: value.balance,
          version: value.version,
          updatedAt: value.at,
        });
      }, delay);
    }
  }
}
