/**
 * 10 000 start/stop cycles of one balance-sync, and 10 000 mount/unmount cycles of each
 * contender app, under the simulated clock with real work in between (each cycle lives
 * 0–400 ms, so some stop with a request or a hydration in flight). Reported: heap growth
 * after a 1 000-cycle warm-up (forced GC), the least-squares slope of the heap sampled every
 * 500 cycles (a leak grows steadily; JIT warm-up and GC noise do not: the idb connection leak
 * fixed in src/cache/indexed-db.ts showed ~800 KB per 1 000 cycles, noise stays within
 * ±50), and what is left running after 10 idle simulated minutes.
 */
import { pathToFileURL } from 'node:url';
import { createBalanceSync, crossTabSource, fromSocketEvents, windowSource } from '../src/index.js';
import { type ContenderName, contenderNames, type MountApp } from './contenders/contract.js';
import type { LeakRow } from './report/results.js';
import { heapSlope } from './report/stats.js';
import { installSimClock, type SimClock } from './sim/clock.js';
import { createTab, resetBrowserStorage, type SimTab } from './sim/dom.js';
import { countListeners } from './sim/listener-count.js';
import { createRandom } from './sim/random.js';
import { ScriptedServer } from './sim/scripted-server.js';
import { createTabBus } from './sim/tab-bus.js';

export const LEAK_CYCLES = Number(process.env.BENCH_LEAK_CYCLES ?? 10_000);
const WARM_UP = 1_000;
const SAMPLE_EVERY = 500;

const gc = (globalThis as { gc?: () => void }).gc;

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}

interface Rig {
  clock: SimClock;
  server: ScriptedServer;
  tab: SimTab;
  bus: ReturnType<typeof createTabBus>;
  domListeners: () => number;
}

function rig(): Rig {
  resetBrowserStorage();
  const clock = installSimClock();
  const start = clock.now();
  const server = new ScriptedServer({
    seed: 7,
    start,
    initial: { alice: 100_000 },
    changes: [],
    latencyMs: [50, 300],
    pushDelayMs: [20, 80],
    socketOutages: [],
  });
  const tab = createTab(0, true);
  const windowListeners = countListeners(tab.window);
  const documentListeners = countListeners(tab.window.document);
  return {
    clock,
    server,
    tab,
    bus: createTabBus(),
    domListeners: () => windowListeners() + documentListeners(),
  };
}

async function cycles(
  r: Rig,
  label: string,
  once: (lifeMs: number) => Promise<void>,
  socketListeners: () => number,
): Promise<LeakRow> {
  const random = createRandom(11);
  for (let i = 0; i < WARM_UP; i++) await once(random.int(0, 400));
  const before = heapMb();
  const samples: { cycle: number; mb: number }[] = [];
  for (let i = 1; i <= LEAK_CYCLES; i++) {
    await once(random.int(0, 400));
    if (i % SAMPLE_EVERY === 0) samples.push({ cycle: i, mb: heapMb() });
  }
  await r.clock.advanceBy(10 * 60_000);
  const after = heapMb();
  const row: LeakRow = {
    what: label,
    cycles: LEAK_CYCLES,
    heapGrowthMb: gc ? after - before : Number.NaN,
    slopeKbPer1000: gc ? heapSlope(samples) : Number.NaN,
    timers: r.clock.pendingTimers(),
    listeners: r.domListeners(),
    socketListeners: socketListeners(),
    channels: r.bus.openHandles(),
  };
  r.tab.close();
  r.clock.uninstall();
  return row;
}

async function startStop(): Promise<LeakRow> {
  const r = rig();
  const socket = r.server.openSocket('alice');
  const sync = createBalanceSync({
    fetchBalance: ({ userId, signal }) => r.server.fetchBalance(userId, r.clock.now(), signal),
    userId: 'alice',
    sources: [
      windowSource({ window: () => r.tab.window }),
      crossTabSource({
        push: fromSocketEvents(socket),
        broadcastChannel: () => r.bus.BroadcastChannel,
        locks: () => r.bus.locks,
      }),
    ],
    logger: false,
  });
  const unsubscribe = sync.subscribe(() => {});
  const row = await cycles(
    r,
    'balance-sync start/stop',
    async (life) => {
      sync.start();
      await r.clock.advanceBy(life);
      sync.stop();
    },
    () => socket.listenerCount(),
  );
  unsubscribe();
  return row;
}

/** Leak cycles need no recording: the number itself is the whole render. */
const Shown = ({ balance }: { subscriber: number; balance: number | null }) => balance;

async function mountUnmount(name: ContenderName, bundle: string): Promise<LeakRow> {
  const r = rig();
  const socket = r.server.openSocket('alice');
  const module = (await import(`${pathToFileURL(bundle).href}?leaks=${name}`)) as {
    mountApp: MountApp;
  };
  return cycles(
    r,
    `${name} mount/unmount (10 components)`,
    async (life) => {
      const app = module.mountApp(
        {
          tab: r.tab,
          subscribers: 10,
          fetchBalance: (userId, signal) => r.server.fetchBalance(userId, r.clock.now(), signal),
          socket,
          BroadcastChannel: r.bus.BroadcastChannel,
          locks: r.bus.locks,
          Shown,
        },
        'alice',
      );
      await r.clock.advanceBy(life);
      app.unmount();
    },
    () => socket.listenerCount(),
  );
}

export async function measureLeaks(
  bundles: Record<ContenderName, string>,
  only?: (label: string) => boolean,
): Promise<LeakRow[]> {
  if (!gc) console.error('leaks: run node with --expose-gc for heap figures');
  const rows: LeakRow[] = [];
  if (!only || only('balance-sync start/stop')) rows.push(await startStop());
  for (const name of contenderNames) {
    if (!only || only(name)) rows.push(await mountUnmount(name, bundles[name]));
  }
  for (const row of rows) console.error(`leaks: ${row.what}: ${JSON.stringify(row)}`);
  return rows;
}
