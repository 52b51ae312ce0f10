// @vitest-environment node
/**
 * The app's own clock (`now`) failing must not reach the machine: a reading that throws or is
 * not a finite number is logged once and replaced by `Date.now()` (invariants 5 and 6).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it, vi } from 'vitest';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { useFakeClock } from '../helpers/harness.js';
import { recordingLogger } from '../helpers/recording-logger.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

afterEach(() => {
  vi.useRealTimers();
});

/** A clock the test can break: the next `failures` readings throw. */
function breakableClock() {
  const clock = {
    failures: 0,
    /** The app's clock runs this far ahead of the wall clock, to tell its readings apart. */
    aheadMs: 5_000,
    now: (): number => {
      if (clock.failures > 0) {
        clock.failures--;
        throw new Error('clock not ready');
      }
      return Date.now() + clock.aheadMs;
    },
  };
  return clock;
}

async function startedSync(clock: ReturnType<typeof breakableClock>) {
  const logger = recordingLogger();
  const sync = createBalanceSync({
    fetchBalance: async () => ({ balance: 5, version: 1 }),
    userId: 'u1',
    cache: [memoryCache()],
    logger,
    now: clock.now,
  });
  sync.start();
  await vi.advanceTimersByTimeAsync(10);
  expect(sync.getSnapshot().balance).toBe(5);
  return { sync, logger };
}

const clockErrors = (logger: ReturnType<typeof recordingLogger>) =>
  logger.lines.filter((line) => line.message.startsWith('clock (now option) failed'));

it('a clock that throws once while a push is applied: logged, the push lands, invalidate() resolves', async () => {
  useFakeClock();
  const clock = breakableClock();
  const { sync, logger } = await startedSync(clock);

  clock.failures = 1;
  expect(() =>
    sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 6, version: 2 }),
  ).not.toThrow();
  expect(clock.failures).toBe(0); // the broken reading was taken during the push
  expect(sync.getSnapshot().balance).toBe(6);

  let report: unknown = 'pending';
  void sync.invalidate({ reason: 'after clock glitch' }).then((r) => {
    report = r;
  });
  await vi.advanceTimersByTimeAsync(6_000); // past the 5 s target deadline
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 7, version: 3 });

  expect(report).not.toBe('pending');
  expect(sync.actor.getSnapshot().status).toBe('active');
  expect(sync.getSnapshot().balance).toBe(7);
  expect(clockErrors(logger)).toEqual([
    expect.objectContaining({
      level: 'error',
      details: expect.objectContaining({
        option: 'now',
        reason: 'threw',
        error: 'Error: clock not ready',
      }),
    }),
  ]);
  sync.stop();
});

it('a clock that answers NaN: a push is applied at once, the clock logged once', async () => {
  // In a child process: a sync that loops on NaN never returns from send() (it ran out of
  // memory in about two seconds with this heap); a process can be killed, a loop in this one not.
  const outcome = await runFixture('nan-clock.ts');
  expect(outcome).toMatchObject({
    before: 5,
    thrown: null,
    balance: 6,
    isStale: false,
    expiresAtFinite: true,
    actorStatus: 'active',
  });
  expect(outcome.brokenReadings).toBeGreaterThan(0); // the clock was read while broken
  expect(outcome.clockLogs).toEqual([
    expect.objectContaining({
      level: 'error',
      details: { option: 'now', reason: 'not a finite number', got: 'NaN' },
    }),
  ]);
}, 40_000);

it('a clock that recovers is read again: its readings, not Date.now(), date the next value', async () => {
  useFakeClock();
  const clock = breakableClock();
  const { sync } = await startedSync(clock);
  clock.failures = 1;
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 6, version: 2 });
  expect(clock.failures).toBe(0);
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 8, version: 3 });
  expect(sync.getSnapshot()).toMatchObject({ balance: 8, expiresAt: clock.now() + 30_000 });
  sync.stop();
});

it('the app clock set back after a value landed (a simulated clock): the TTL timer fires and the sync goes on', async () => {
  // Its own clock is the sync's "monotonic" one too: set back, the value's age came out
  // negative and re-dating it left it in the future, an eventless loop that froze the page.
  expect(await runFixture('clock-set-back.ts')).toEqual({ balance: 5, userId: 'u1' });
}, 40_000);

/** Runs a fixture of ./fixtures with a small heap and a deadline; its JSON output. */
async function runFixture(name: string): Promise<Record<string, unknown>> {
  const fixture = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  try {
    const { stdout } = await run(
      process.execPath,
      ['--max-old-space-size=128', '--import', 'tsx', fixture],
      { cwd: root, timeout: 30_000, encoding: 'utf8' },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch (error) {
    const { signal, code } = error as { signal?: string; code?: number };
    throw new Error(
      `${name} did not finish (signal ${signal}, exit ${code}): a loop on the clock?`,
    );
  }
}
