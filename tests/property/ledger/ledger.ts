/**
 * The server side of the ledger property test: per user a balance, a version and an epoch, with
 * the full history of server values (and which own debits each one includes). Requests to
 * `fetchBalance` stay pending until the test answers them (current value, a lagging replica's
 * earlier value, or a failure); every server change queues a push to deliver later, in any order.
 */
import type { FetchBalanceArgs, FetchedPayload } from '../../../src/types.js';

export type UserId = 'u1' | 'u2';
export const USERS: readonly UserId[] = ['u1', 'u2'];

/** Disjoint balance ranges: a balance outside its user's million is another user's. */
export const baseFor = (userId: string): number =>
  (Number(userId.replace(/\D/g, '')) || 0) * 1_000_000;
export const belongsTo = (balance: number, userId: string): boolean =>
  Math.floor(balance / 1_000_000) * 1_000_000 === baseFor(userId);

export interface ServerValue {
  balance: number;
  version: number;
  epoch: string | null;
  /** Ids of the own debits the server had applied when it held this value. */
  includes: readonly number[];
}

export interface OpenRequest {
  id: number;
  userId: string;
  skipCache: boolean;
  /** Date.now() when it arrived. */
  at: number;
  settled: boolean;
  resolve(payload: FetchedPayload): void;
  reject(error: Error): void;
}

export interface QueuedPush {
  userId: UserId;
  value: ServerValue;
  /** Sent without version and epoch (its order is unknown to the client). */
  unversioned: boolean;
}

/** What a resolved commit answers: `{ version, epoch }`, the full value, or nothing. */
export type CommitShape = 'version' | 'full' | 'none';

export interface OwnDebit {
  id: number;
  /** Whose debit (the user signed in when it was applied); null: refused by the sync. */
  userId: UserId | null;
  /** The user session it was applied in: a user change drops it from the screen. */
  session: number;
  delta: number;
  shape: CommitShape;
  state: 'open' | 'delivered' | 'resolved' | 'rejected';
  /** Step whose end first saw it rejected (the sync has learnt it by then). */
  rejectedAtStep: number | null;
  /** Step in which its commit resolved (the sync has learnt it by the end of that step). */
  resolvedAtStep: number | null;
  /** The server value right after the server applied it. */
  after: ServerValue | null;
  resolve(answer: unknown): void;
  reject(error: Error): void;
}

export interface LedgerOptions {
  /** A server that never sends versions (nor epochs). */
  unversioned: boolean;
  /** The server sends an epoch from the start (else only after a restart with one). */
  epochs: boolean;
}

export class Ledger {
  readonly history = new Map<UserId, ServerValue[]>();
  readonly requests: OpenRequest[] = [];
  readonly pushes: QueuedPush[] = [];
  readonly debits: OwnDebit[] = [];
  private epochs = 0;
  restarts = 0;
  lagged = 0;

  constructor(readonly options: LedgerOptions) {
    for (const userId of USERS) {
      this.history.set(userId, [
        {
          balance: baseFor(userId) + 500_000,
          version: 1,
          epoch: options.epochs ? 'e0' : null,
          includes: [],
        },
      ]);
    }
  }

  historyOf(userId: string): readonly ServerValue[] {
    return this.history.get(userId as UserId) ?? [];
  }

  current(userId: UserId): ServerValue {
    const history = this.history.get(userId) as ServerValue[];
    return history[history.length - 1] as ServerValue;
  }

  private append(userId: UserId, value: ServerValue): ServerValue {
    (this.history.get(userId) as ServerValue[]).push(value);
    return value;
  }

  /** A change by someone else (another device, a top-up): next version, a push queued. */
  change(userId: UserId, delta: number, unversionedPush: boolean): ServerValue {
    const now = this.current(userId);
    const next = this.append(userId, {
      ...now,
      balance: now.balance + delta,
      version: now.version + 1,
    });
    this.pushes.push({ userId, value: next, unversioned: unversionedPush });
    return next;
  }

  /**
   * The server restarts its version counter: versions start again at 1, in a new epoch or not. A
   * server without epochs stays without (one that starts sending them mid-session would have
   * epoch-less values in flight that the sync orders in the new epoch: a SPEC ambiguity).
   */
  restart(userId: UserId, newEpoch: boolean): void {
    const now = this.current(userId);
    this.restarts++;
    this.append(userId, {
      ...now,
      version: 1,
      epoch: newEpoch && this.options.epochs ? `e${++this.epochs}` : now.epoch,
    });
  }

  /** An own debit reaches the server: applied, a push queued. */
  deliver(debit: OwnDebit, unversionedPush: boolean): void {
    const userId = debit.userId as UserId;
    const now = this.current(userId);
    debit.after = this.append(userId, {
      ...now,
      balance: now.balance + debit.delta,
      version: now.version + 1,
      includes: [...now.includes, debit.id],
    });
    debit.state = 'delivered';
    this.pushes.push({ userId, value: debit.after, unversioned: unversionedPush });
  }

  /** A value as the server sends it (the run-level `unversioned` strips version and epoch). */
  payload(value: ServerValue, unversioned = false): FetchedPayload {
    if (unversioned || this.options.unversioned) return { balance: value.balance };
    return {
      balance: value.balance,
      version: value.version,
      ...(value.epoch === null ? {} : { epoch: value.epoch }),
    };
  }

  /** What a resolved commit answers, by its shape. */
  commitAnswer(debit: OwnDebit): unknown {
    const after = debit.after as ServerValue;
    if (debit.shape === 'none') return undefined;
    if (debit.shape === 'full') return this.payload(after);
    if (this.options.unversioned) return undefined;
    return { version: after.version, ...(after.epoch === null ? {} : { epoch: after.epoch }) };
  }

  /** Whether a resolved commit tells the debit's version (SPEC "Optimistic debits" rule 1). */
  answersVersion(debit: OwnDebit): boolean {
    return !this.options.unversioned && debit.shape !== 'none';
  }

  /** An earlier value of the user's history, `lag` changes back (a lagging read replica). */
  lagging(userId: UserId, lag: number): ServerValue {
    const history = this.history.get(userId) as ServerValue[];
    return history[Math.max(0, history.length - 1 - lag)] as ServerValue;
  }

  open(): OpenRequest[] {
    return this.requests.filter((request) => !request.settled);
  }

  readonly fetchBalance = ({ userId, signal, skipCache }: FetchBalanceArgs) =>
    new Promise<FetchedPayload>((resolve, reject) => {
      const request: OpenRequest = {
        id: this.requests.length + 1,
        userId,
        skipCache,
        at: Date.now(),
        settled: signal.aborted,
        resolve: (payload) => {
          request.settled = true;
          resolve(payload);
        },
        reject: (error) => {
          request.settled = true;
          reject(error);
        },
      };
      signal.addEventListener('abort', () => {
        request.settled = true;
        reject(signal.reason);
      });
      this.requests.push(request);
    });
}
