/** Fault knobs of the demo server, set over its admin endpoint. */
export interface Faults {
  /** Added to every balance response. */
  latencyMs: number;
  /** Share of balance responses answered with 503, 0..1. */
  errorRate: number;
  /** Hold the next balance response until released: it then lands after newer values. */
  holdNext: boolean;
  /** Send the current value when a push connection opens (a "hello"); off = an older server. */
  hello: boolean;
}

export const noFaults = (): Faults => ({
  latencyMs: 0,
  errorRate: 0,
  holdNext: false,
  hello: true,
});

export function parseFaults(body: unknown, current: Faults): Faults {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Partial<
    Record<keyof Faults, unknown>
  >;
  const latency = Number(input.latencyMs ?? current.latencyMs);
  const errorRate = Number(input.errorRate ?? current.errorRate);
  return {
    latencyMs: Number.isFinite(latency)
      ? Math.min(Math.max(latency, 0), 30_000)
      : current.latencyMs,
    errorRate: Number.isFinite(errorRate) ? Math.min(Math.max(errorRate, 0), 1) : current.errorRate,
    holdNext: typeof input.holdNext === 'boolean' ? input.holdNext : current.holdNext,
    hello: typeof input.hello === 'boolean' ? input.hello : current.hello,
  };
}
