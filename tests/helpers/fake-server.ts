/**
 * A scripted balance server for tests: every request stays pending until the test answers it,
 * so responses can land in any order. It tracks what invariant 4 needs (requests in flight per
 * user) and what invariant 2 needs (a monotonic version per user).
 */
import type { FetchBalanceArgs, FetchedPayload } from '../../src/types.js';

export interface PendingRequest {
  id: number;
  userId: string;
  signal: AbortSignal;
  skipCache: boolean;
  /** Date.now() when the request arrived (faked clock in tests). */
  at: number;
  /** The server's value when the request was received. */
  snapshot: { balance: number; version: number };
  settled: boolean;
  resolve(payload?: FetchedPayload): void;
  reject(error?: unknown): void;
}

export class FakeServer {
  readonly requests: PendingRequest[] = [];
  private ledger = new Map<string, { balance: number; version: number }>();
  maxInFlightPerUser = 0;

  /** Balances are in disjoint ranges per user, so a leak is recognisable by value alone. */
  static baseFor(userId: string): number {
    return (Number(userId.replace(/\D/g, '')) || 0) * 1_000_000;
  }

  valueOf(userId: string): { balance: number; version: number } {
    let entry = this.ledger.get(userId);
    if (entry === undefined) {
      entry = { balance: FakeServer.baseFor(userId) + 100, version: 1 };
      this.ledger.set(userId, entry);
    }
    return entry;
  }

  /** A server-side change (a debit elsewhere): new balance, next version. */
  change(userId: string, delta = -1): { balance: number; version: number } {
    const current = this.valueOf(userId);
    const next = { balance: current.balance + delta, version: current.version + 1 };
    this.ledger.set(userId, next);
    return next;
  }

  inFlight(userId?: string): PendingRequest[] {
    return this.requests.filter(
      (request) =>
        !request.settled &&
        !request.signal.aborted &&
        (userId === undefined || request.userId === userId),
    );
  }

  get count(): number {
    return this.requests.length;
  }

  readonly fetchBalance = ({
    userId,
    signal,
    skipCache,
  }: FetchBalanceArgs): Promise<FetchedPayload> =>
    new Promise<FetchedPayload>((resolve, reject) => {
      const request: PendingRequest = {
        id: this.requests.length + 1,
        userId,
        signal,
        skipCache,
        at: Date.now(),
        snapshot: { ...this.valueOf(userId) },
        settled: false,
        resolve: (payload) => {
          request.settled = true;
          resolve(payload ?? { ...request.snapshot });
        },
        reject: (error) => {
          request.settled = true;
          reject(error ?? new Error('server error 500'));
        },
      };
      signal.addEventListener('abort', () => {
        request.settled = true;
        reject(signal.reason);
      });
      this.requests.push(request);
      this.maxInFlightPerUser = Math.max(this.maxInFlightPerUser, this.inFlight(userId).length);
    });

  /** Answers the oldest open request with what the server had when it was received. */
  respondNext(): PendingRequest | undefined {
    const request = this.inFlight()[0];
    request?.resolve();
    return request;
  }

  last(): PendingRequest | undefined {
    return this.requests.at(-1);
  }
}

/** Lets promise callbacks (and the machine's reactions to them) run under fake timers. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
