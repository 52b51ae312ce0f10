/**
 * Watches the timers code under test starts, by delay, through spies on the global timer
 * functions (the sources call them lazily, so the spies see them). With a delay no one else
 * uses, `pending(ms)` says whether those timers were all cleared: a leak check that works with
 * real sockets and real time, where other libraries' timers come and go.
 */
import { vi } from 'vitest';

export function watchTimers() {
  const spies = {
    setTimeout: vi.spyOn(globalThis, 'setTimeout'),
    clearTimeout: vi.spyOn(globalThis, 'clearTimeout'),
    setInterval: vi.spyOn(globalThis, 'setInterval'),
    clearInterval: vi.spyOn(globalThis, 'clearInterval'),
  };
  const started = (delayMs: number): unknown[] =>
    [spies.setTimeout, spies.setInterval].flatMap((spy) =>
      spy.mock.calls.flatMap((call, index) =>
        call[1] === delayMs ? [spy.mock.results[index]?.value] : [],
      ),
    );
  return {
    started: (delayMs: number): number => started(delayMs).length,
    /** Timers of that delay started and not cleared (long delays: none has fired). */
    pending(delayMs: number): number {
      const cleared = new Set<unknown>([
        ...spies.clearTimeout.mock.calls.map((call) => call[0]),
        ...spies.clearInterval.mock.calls.map((call) => call[0]),
      ]);
      return started(delayMs).filter((timer) => !cleared.has(timer)).length;
    },
    restore(): void {
      for (const spy of Object.values(spies)) spy.mockRestore();
    },
  };
}
