/**
 * Simulated time for the workloads: timers and Date are faked (@sinonjs/fake-timers), so an
 * hour-long session runs in seconds and every contender sees the same instants. Microtasks and
 * setImmediate stay real: React's scheduler and fake-indexeddb run on them, and `advanceTo`
 * drains them after every timer so renders land at the virtual time that caused them.
 */
import FakeTimers from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<typeof FakeTimers.install>;

export const SIM_EPOCH = Date.UTC(2026, 10, 25, 9);

export interface SimClock {
  now(): number;
  /** Fires every timer up to `time` in order, draining real tasks after each instant. */
  advanceTo(time: number): Promise<void>;
  advanceBy(ms: number): Promise<void>;
  /** Timers still pending (a leak probe). */
  pendingTimers(): number;
  uninstall(): void;
}

interface TimerLike {
  callAt: number;
}

const realSetImmediate = globalThis.setImmediate;

/** Lets real macrotasks (React's scheduler, fake-indexeddb) run at the current virtual time. */
export async function drainRealTasks(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await new Promise<void>((resolve) => realSetImmediate(resolve));
  }
}

function nextTimerAt(clock: InstalledClock): number {
  const timers = (clock as unknown as { timers?: Map<number, TimerLike> }).timers;
  let next = Number.POSITIVE_INFINITY;
  for (const timer of timers?.values() ?? []) next = Math.min(next, timer.callAt);
  return next;
}

export function installSimClock(start = SIM_EPOCH): SimClock {
  const clock = FakeTimers.install({
    now: start,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    loopLimit: 1_000_000,
  });
  const sim: SimClock = {
    now: () => clock.now,
    async advanceTo(time) {
      await drainRealTasks();
      // A chain of zero-delay timers at one instant is bounded: a runaway loop is a bug.
      for (let steps = 0; clock.now < time || nextTimerAt(clock) <= time; steps++) {
        if (steps > 5_000_000) throw new Error('simulation does not settle');
        const target = Math.min(time, nextTimerAt(clock));
        await clock.tickAsync(Math.max(0, target - clock.now));
        await drainRealTasks();
      }
    },
    advanceBy: (ms) => sim.advanceTo(clock.now + ms),
    pendingTimers: () => clock.countTimers(),
    uninstall: () => clock.uninstall(),
  };
  return sim;
}
