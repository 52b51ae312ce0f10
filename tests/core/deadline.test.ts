import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, DeadlineError, withDeadline } from '../../src/core/deadline.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const options = (signal: AbortSignal) => ({
  ms: 1_000,
  signal,
  timeoutMessage: 'late',
  abortMessage: 'stopped',
});

describe('withDeadline', () => {
  it('settles with the result, sync or async, and leaves no timer', async () => {
    const signal = new AbortController().signal;
    await expect(withDeadline(() => 5, options(signal))).resolves.toBe(5);
    await expect(withDeadline(async () => 6, options(signal))).resolves.toBe(6);
    await expect(
      withDeadline(() => {
        throw new Error('boom');
      }, options(signal)),
    ).rejects.toThrow('boom');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with DeadlineError when the time is up', async () => {
    const pending = withDeadline(
      () => new Promise(() => {}),
      options(new AbortController().signal),
    );
    const check = expect(pending).rejects.toThrow(DeadlineError);
    await vi.advanceTimersByTimeAsync(1_000);
    await check;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with AbortedError at once on abort, and clears its timer synchronously', async () => {
    const controller = new AbortController();
    const pending = withDeadline(() => new Promise(() => {}), options(controller.signal));
    controller.abort();
    expect(vi.getTimerCount()).toBe(0);
    await expect(pending).rejects.toThrow(AbortedError);
    await expect(withDeadline(() => 1, options(controller.signal))).rejects.toThrow('stopped');
  });
});
