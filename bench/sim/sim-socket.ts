/**
 * A socket.io-like client (`on`/`off`, `connected`) for one tab: what apps wire their push
 * handlers to. It is authenticated as one user; a sign-in switch re-authenticates it, and
 * pushes already on the wire for the previous user still arrive (the wrong-user case).
 */
type Listener = (...args: unknown[]) => void;

let ids = 0;

export class SimSocket {
  readonly id = ++ids;
  connected = false;
  closed = false;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(public userId: string) {}

  on(event: string, listener: Listener): this {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }

  setConnected(connected: boolean): void {
    if (this.closed || connected === this.connected) return;
    this.connected = connected;
    this.emit(connected ? 'connect' : 'disconnect');
  }

  deliver(message: { userId: string; balance: number; version: number; updatedAt: number }): void {
    if (this.connected) this.emit('token-balance-updated', message);
  }

  close(): void {
    this.setConnected(false);
    this.closed = true;
  }
}
