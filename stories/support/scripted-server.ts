/**
 * A scripted server for stories: real promises and real timers (browser tests cannot fake
 * time), with knobs a scenario turns: fail, hold a response to land it late, change a balance.
 */
import type { FetchBalanceArgs, FetchedPayload } from '../../src/types.js';

export class ScriptedServer {
  private ledger = new Map<string, { balance: number; version: number }>([
    ['alice', { balance: 1_000, version: 1 }],
    ['bob', { balance: 250, version: 1 }],
  ]);
  requests = 0;
  failing = false;
  latencyMs = 20;
  private holdNext = false;
  private held: (() => void)[] = [];

  valueOf(userId: string) {
    return { ...(this.ledger.get(userId) ?? { balance: 0, version: 1 }) };
  }

  change(userId: string, delta: number) {
    const current = this.valueOf(userId);
    const next = { balance: current.balance + delta, version: current.version + 1 };
    this.ledger.set(userId, next);
    return next;
  }

  /** The next response is read now but only sent on `release()`: it lands after newer values. */
  hold(): void {
    this.holdNext = true;
  }

  release(): void {
    for (const release of this.held.splice(0)) release();
  }

  readonly fetchBalance = async ({ userId, signal }: FetchBalanceArgs): Promise<FetchedPayload> => {
    this.requests++;
    const snapshot = this.valueOf(userId);
    if (this.holdNext) {
      this.holdNext = false;
      await new Promise<void>((resolve) => this.held.push(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (signal.aborted) throw signal.reason;
    if (this.failing) throw new Error('503 Service Unavailable');
    return snapshot;
  };
}
