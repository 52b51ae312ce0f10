/**
 * The world the surface property test drives: a server that answers in cents (every answer and
 * every push a value never seen before, so any balance says where it came from), cents → units
 * schemas, and a model of `subscribe()` to check what each listener must have been called with.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as v from 'valibot';
import type { FetchBalanceArgs, FetchedPayload } from '../../../src/types.js';
import type { SeqClock } from '../../helpers/scripted-io.js';

export const users = ['u1', 'u2', 'u3'] as const;
export type User = (typeof users)[number];
/** What `setUser` and the provider's `userId` accept: `undefined` signs out like `null`. */
export type UserArg = User | null | undefined;

const userNumber = (user: string): number => Number(user.slice(1));

/**
 * A value the server minted: `cents` on the wire, `units` (cents / 100) on screen. User uK's
 * values are K·10 000 + n/2 units: disjoint ranges per user, and a value shown in cents (a
 * skipped schema) lands far outside every user's range.
 */
export interface Minted {
  user: User;
  cents: number;
  units: number;
  version: number;
  /** Clock value when minted: older than an invalidation means "the old value". */
  seq: number;
}

export interface OpenRequest {
  id: number;
  sync: number;
  userId: string;
  signal: AbortSignal;
  settled: boolean;
  resolve(payload: unknown): void;
  reject(error: unknown): void;
}

export class Server {
  private generation = 0;
  private readonly versions = new Map<string, number>();
  /** units → what was minted, for every value that ever existed. */
  readonly minted = new Map<number, Minted>();
  readonly requests: OpenRequest[] = [];

  constructor(private readonly clock: SeqClock) {}

  /** A server-side change for `user`: a new value and the next version. */
  mint(user: User): Minted {
    this.generation += 1;
    const version = (this.versions.get(user) ?? 0) + 1;
    this.versions.set(user, version);
    const cents = userNumber(user) * 1_000_000 + this.generation * 50;
    const minted = { user, cents, units: cents / 100, version, seq: this.clock.tick() };
    this.minted.set(minted.units, minted);
    return minted;
  }

  /** `fetchBalance` of sync `sync`: every request waits until the test answers it. */
  fetchFor(sync: number): (args: FetchBalanceArgs) => Promise<FetchedPayload> {
    return ({ userId, signal }) =>
      new Promise<FetchedPayload>((resolve, reject) => {
        const request: OpenRequest = {
          id: this.requests.length + 1,
          sync,
          userId,
          signal,
          settled: false,
          resolve: (payload) => {
            request.settled = true;
            resolve(payload as FetchedPayload);
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

  open(): OpenRequest[] {
    return this.requests.filter((request) => !request.settled && !request.signal.aborted);
  }
}

/** Payloads the schema must reject; shown raw, each would be a number no user ever had. */
export const badBalances: readonly unknown[] = [-100, 12.5, '1000050', null, Number.NaN];

export type SchemaKind = 'valibot' | 'inline' | 'inlineAsync';
export const schemaKinds: readonly SchemaKind[] = ['valibot', 'inline', 'inlineAsync'];

/** What every schema call saw: the keys of the raw payload, and whether it was rejected. */
export interface SchemaLog {
  calls: number;
  rejected: number;
  /** Keys the library added to a payload before the schema saw it (SPEC: never). */
  foreignKeys: string[];
}

const wireKeys = new Set(['userId', 'balance', 'version']);

const valibotCents = v.object({
  balance: v.pipe(
    v.number(),
    v.integer(),
    v.minValue(0),
    v.transform((cents: number) => cents / 100),
  ),
  version: v.optional(v.number()),
});

type Result = StandardSchemaV1.Result<{ balance: number; version?: number }>;

function inlineCents(raw: unknown): Result {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : null;
  const balance = record?.balance;
  const version = record?.version;
  if (typeof balance !== 'number' || !Number.isInteger(balance) || balance < 0) {
    return { issues: [{ message: 'balance must be whole cents >= 0' }] };
  }
  if (version !== undefined && (typeof version !== 'number' || !Number.isFinite(version))) {
    return { issues: [{ message: 'version must be a number' }] };
  }
  return {
    value: version === undefined ? { balance: balance / 100 } : { balance: balance / 100, version },
  };
}

/** The server sends cents; every schema turns them into units (a transform). */
export function centsSchema(kind: SchemaKind, log: SchemaLog): StandardSchemaV1 {
  const validate = (raw: unknown): Result | Promise<Result> => {
    log.calls++;
    if (typeof raw === 'object' && raw !== null) {
      for (const key of Object.keys(raw)) if (!wireKeys.has(key)) log.foreignKeys.push(key);
    }
    const note = (result: Result): Result => {
      if (result.issues !== undefined) log.rejected++;
      return result;
    };
    switch (kind) {
      case 'valibot':
        return note(valibotCents['~standard'].validate(raw) as Result);
      case 'inline':
        return note(inlineCents(raw));
      case 'inlineAsync':
        return Promise.resolve().then(() => note(inlineCents(raw)));
    }
  };
  return { '~standard': { version: 1, vendor: 'surface-test', validate } };
}

/**
 * The subscriptions the test made on one sync, and the calls each listener function got per
 * publish. A publish starts when the sync's first subscriber (the test's reference listener,
 * never removed) is called. Listener functions may be subscribed more than once; an armed
 * function subscribes or unsubscribes once, from inside its next call.
 */
export interface Subscription {
  id: number;
  fn: number;
  unsubscribe: () => void;
  active: boolean;
}

export type Armed = { subscribe: number } | { unsubscribe: number };

export class ListenerModel {
  readonly subs: Subscription[] = [];
  readonly armed = new Map<number, Armed>();
  /** Listener function 2 always throws (after counting its call). */
  static readonly throwing = 2;
  private nextId = 1;
  private epoch: {
    startActive: Map<number, number>;
    removedDuring: Map<number, number>;
    addedDuring: Map<number, number>;
    calls: Map<number, number>;
  } | null = null;
  publishes = 0;
  callsChecked = 0;

  constructor(
    private readonly subscribeFn: (fn: (state: unknown) => void) => () => void,
    private readonly fail: (message: string) => void,
  ) {}

  readonly fns: ((state: unknown) => void)[] = [0, 1, 2].map((index) => (_state: unknown) => {
    this.called(index);
  });

  subscribe(fn: number, during = false): void {
    if (this.subs.filter((sub) => sub.active).length >= 6) return;
    const unsubscribe = this.subscribeFn(this.fns[fn] as (state: unknown) => void);
    this.subs.push({ id: this.nextId++, fn, unsubscribe, active: true });
    if (during && this.epoch !== null) bump(this.epoch.addedDuring, fn);
  }

  unsubscribe(pick: number, during = false): void {
    const active = this.subs.filter((sub) => sub.active);
    const sub = active[pick % Math.max(1, active.length)];
    if (sub === undefined) return;
    sub.active = false;
    sub.unsubscribe();
    if (during && this.epoch !== null) bump(this.epoch.removedDuring, sub.fn);
  }

  /** The reference listener was called: the previous publish is over, a new one begins. */
  beginPublish(): void {
    this.endPublish();
    this.publishes++;
    const startActive = new Map<number, number>();
    for (const sub of this.subs) if (sub.active) bump(startActive, sub.fn);
    this.epoch = {
      startActive,
      removedDuring: new Map(),
      addedDuring: new Map(),
      calls: new Map(),
    };
  }

  /**
   * Each function gets one call per subscription that was there when the publish began and was
   * not removed during it; a subscription removed or added during the publish may or may not
   * have been called (once at most).
   */
  endPublish(): void {
    const epoch = this.epoch;
    if (epoch === null) return;
    this.epoch = null;
    for (const fn of [0, 1, 2]) {
      const start = epoch.startActive.get(fn) ?? 0;
      const removed = epoch.removedDuring.get(fn) ?? 0;
      const added = epoch.addedDuring.get(fn) ?? 0;
      const calls = epoch.calls.get(fn) ?? 0;
      const min = start - removed;
      const max = start + added;
      this.callsChecked += calls;
      if (calls < min || calls > max) {
        this.fail(
          `subscribe: listener ${fn} called ${calls}× in one publish, expected ${min}..${max} (${start} subscriptions, ${removed} removed and ${added} added during it)`,
        );
      }
    }
  }

  private called(fn: number): void {
    if (this.epoch === null) {
      this.fail(`subscribe: listener ${fn} called outside a publish`);
      return;
    }
    bump(this.epoch.calls, fn);
    const armed = this.armed.get(fn);
    if (armed !== undefined) {
      this.armed.delete(fn);
      if ('subscribe' in armed) this.subscribe(armed.subscribe, true);
      else this.unsubscribe(armed.unsubscribe, true);
    }
    if (fn === ListenerModel.throwing) throw new Error('listener 2 throws');
  }
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
