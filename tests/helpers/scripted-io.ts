/**
 * Cache layers and invalidation targets whose behaviour a test scripts: each call answers at
 * once, later (when the test releases it), never, by throwing or by rejecting. Every call is
 * logged with a sequence number from a shared clock, so a test can tell which call belonged to
 * which `invalidate()` and whether it had answered by the time something was checked.
 *
 * Only promises and the test's own release calls are involved, never a timer: whatever
 * `vi.getTimerCount()` says is the library's.
 */
import type { CacheLayer, CacheScope, StoredEntry } from '../../src/cache/layer.js';

/** A shared logical clock: every call, answer and observation gets the next number. */
export class SeqClock {
  private value = 0;
  tick(): number {
    this.value += 1;
    return this.value;
  }
  get now(): number {
    return this.value;
  }
}

/**
 * How the next calls answer. `late`: when the test releases them (in call order per layer);
 * `removeThrows`: reads and writes work, removes throw (a store that cannot delete).
 */
export type IoMode = 'ok' | 'late' | 'hang' | 'throw' | 'reject' | 'removeThrows';
export type IoState = 'pending' | 'done' | 'failed' | 'hung';

export interface LayerCall {
  seq: number;
  layer: string;
  op: 'read' | 'write' | 'remove';
  userId: string;
  mode: IoMode;
  state: IoState;
  /** Clock value when it answered (done or failed); null while pending or hung. */
  answeredSeq: number | null;
}

interface Queued {
  call: LayerCall;
  ready: boolean;
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Modes a layer of each kind can take (a synchronous layer answers at once or not at all). */
export const syncLayerModes: readonly IoMode[] = ['ok', 'throw', 'hang', 'removeThrows'];
export const asyncLayerModes: readonly IoMode[] = [
  'ok',
  'late',
  'hang',
  'throw',
  'reject',
  'removeThrows',
];

export interface ScriptedLayerOptions {
  name: string;
  /** `sync`: answers with values (localStorage-like); `async`: with promises (IndexedDB-like). */
  kind: 'sync' | 'async';
  perTab?: boolean;
  clock: SeqClock;
  /** Called when a write is issued, before it is queued (e.g. to check whose entry it is). */
  onWrite?: (userId: string, entry: StoredEntry) => void;
}

/**
 * A cache layer with a name of its own. Entries are stored per user id (the scope's prefix is
 * the same for every call of one sync). Calls take effect when they answer, in call order: an
 * async layer queues them like IndexedDB transactions; a hanging call never takes effect and
 * does not hold up the ones after it.
 */
export class ScriptedLayer implements CacheLayer {
  readonly name: string;
  readonly perTab: boolean;
  readonly kind: 'sync' | 'async';
  mode: IoMode = 'ok';
  readonly store = new Map<string, StoredEntry>();
  readonly calls: LayerCall[] = [];
  private readonly queue: Queued[] = [];
  private readonly clock: SeqClock;
  private readonly onWrite: ((userId: string, entry: StoredEntry) => void) | undefined;

  constructor(options: ScriptedLayerOptions) {
    this.name = options.name;
    this.perTab = options.perTab ?? false;
    this.kind = options.kind;
    this.clock = options.clock;
    this.onWrite = options.onWrite;
  }

  /** Sets the mode of the next calls; a mode the kind cannot take becomes the nearest one. */
  setMode(mode: IoMode): void {
    this.mode = this.kind === 'sync' && (mode === 'late' || mode === 'reject') ? 'ok' : mode;
  }

  read(userId: string, _scope: CacheScope): unknown {
    return this.call('read', userId, () => {
      const entry = this.store.get(userId);
      return entry === undefined ? null : structuredClone(entry);
    });
  }

  write(userId: string, entry: StoredEntry, _scope: CacheScope): void | Promise<void> {
    this.onWrite?.(userId, entry);
    const copy = structuredClone(entry);
    return this.call('write', userId, () => {
      this.store.set(userId, copy);
    }) as void | Promise<void>;
  }

  remove(userId: string, _scope: CacheScope): void | Promise<void> {
    return this.call('remove', userId, () => {
      this.store.delete(userId);
    }) as void | Promise<void>;
  }

  /** Legacy keys are not this layer's subject: always removed at once. */
  clearLegacy(_keys: readonly string[]): void {}

  /** Calls of this layer waiting for `release`. */
  pending(): LayerCall[] {
    return this.queue.filter((queued) => !queued.ready).map((queued) => queued.call);
  }

  /** Answers a late call, and every earlier one of this layer (calls answer in order). */
  release(call: LayerCall): void {
    const index = this.queue.findIndex((queued) => queued.call === call);
    if (index < 0) return;
    for (const queued of this.queue.slice(0, index + 1)) queued.ready = true;
    this.pump();
  }

  releaseAll(): void {
    for (const queued of this.queue) queued.ready = true;
    this.pump();
  }

  private call(op: LayerCall['op'], userId: string, run: () => unknown): unknown {
    const mode: IoMode =
      this.mode === 'removeThrows' ? (op === 'remove' ? 'throw' : 'ok') : this.mode;
    const call: LayerCall = {
      seq: this.clock.tick(),
      layer: this.name,
      op,
      userId,
      mode,
      state: 'pending',
      answeredSeq: null,
    };
    this.calls.push(call);
    switch (mode) {
      case 'throw':
        call.state = 'failed';
        call.answeredSeq = call.seq;
        throw new Error(`${this.name}: ${op} failed`);
      case 'hang':
        call.state = 'hung';
        return new Promise(() => {});
      default:
        break;
    }
    if (this.kind === 'sync') {
      const value = run();
      call.state = 'done';
      call.answeredSeq = call.seq;
      return value;
    }
    const ready = mode !== 'late';
    return new Promise((resolve, reject) => {
      const failing = mode === 'reject';
      this.queue.push({
        call,
        ready,
        run: failing
          ? () => {
              throw new Error(`${this.name}: ${op} rejected`);
            }
          : run,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue[0]?.ready === true) {
      const queued = this.queue.shift() as Queued;
      queued.call.answeredSeq = this.clock.tick();
      try {
        const value = queued.run();
        queued.call.state = 'done';
        queued.resolve(value);
      } catch (error) {
        queued.call.state = 'failed';
        queued.reject(error);
      }
    }
  }
}

export type TargetMode = 'ok' | 'okAsync' | 'late' | 'hang' | 'throw' | 'reject';
export const targetModes: readonly TargetMode[] = [
  'ok',
  'okAsync',
  'late',
  'hang',
  'throw',
  'reject',
];

export interface TargetCall {
  seq: number;
  target: string;
  mode: TargetMode;
  state: IoState;
  answeredSeq: number | null;
}

/** An invalidation target (an SWR `mutate`, an API client's cache) with a scripted answer. */
export class ScriptedTarget {
  mode: TargetMode = 'ok';
  readonly calls: TargetCall[] = [];
  private readonly waiting = new Map<TargetCall, () => void>();

  constructor(
    readonly name: string,
    private readonly clock: SeqClock,
  ) {}

  readonly run = (): unknown => {
    const call: TargetCall = {
      seq: this.clock.tick(),
      target: this.name,
      mode: this.mode,
      state: 'pending',
      answeredSeq: null,
    };
    this.calls.push(call);
    const answer = (state: IoState) => {
      call.state = state;
      call.answeredSeq = this.clock.tick();
    };
    switch (this.mode) {
      case 'ok':
        answer('done');
        return undefined;
      case 'okAsync':
        answer('done');
        return Promise.resolve();
      case 'throw':
        answer('failed');
        throw new Error(`${this.name} threw`);
      case 'reject':
        answer('failed');
        return Promise.reject(new Error(`${this.name} rejected`));
      case 'hang':
        call.state = 'hung';
        return new Promise(() => {});
      case 'late':
        return new Promise<void>((resolve) => {
          this.waiting.set(call, () => {
            answer('done');
            resolve();
          });
        });
    }
  };

  pending(): TargetCall[] {
    return [...this.waiting.keys()];
  }

  release(call: TargetCall): void {
    const answer = this.waiting.get(call);
    this.waiting.delete(call);
    answer?.();
  }

  releaseAll(): void {
    for (const call of [...this.waiting.keys()]) this.release(call);
  }
}
