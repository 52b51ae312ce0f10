/**
 * Guards on the value shown alone: its age against `maxStaleMs` (on the wall clock and on the
 * monotonic one), its TTL, and a wall clock moved back past it. Guards that combine named ones
 * (`and`, `or`, `stateIn`) stay in ./balance.setup.ts.
 */
import type { BalanceContext, HydratedValue } from './context.js';
import { storedVerdict } from './landing.js';
import { isExpired, isTooOld, MAX_TIMER_MS, valueAge } from './policy.js';

type Ctx = { context: BalanceContext };

export const valueGuards = {
  noValue: ({ context }: Ctx) => context.value === null,
  /** The value shown is within its TTL, and not of a user an invalidation left distrusted. */
  shownFresh: ({ context }: Ctx) =>
    context.value !== null &&
    !isExpired(context.value, context.now()) &&
    !context.distrustedUsers.includes(context.value.userId),
  /** Past `maxStaleMs` nothing vouches for a value: it is not shown at all. */
  valueTooOld: ({ context }: Ctx) =>
    isTooOld(context.value, context.now(), context.config.maxStaleMs) ||
    valueAge(context) > context.config.maxStaleMs,
  /** Received "after now": the wall clock was moved back since (see `redateValue`). */
  valueFromFuture: ({ context }: Ctx) =>
    context.value !== null && context.value.timestamp > context.now(),
  /** A value whose age the monotonic clock does not track yet (it just landed or changed). */
  valueAgeUntracked: ({ context }: Ctx) =>
    context.value !== null && context.valueAge?.timestamp !== context.value.timestamp,
  /** A value read from a layer that may be shown as fresh (a layer may hold an invalidated user's). */
  hydratedFresh: ({ context }: Ctx, { hit }: { hit: HydratedValue | null }) =>
    hit !== null &&
    !context.distrustedUsers.includes(hit.value.userId) &&
    !isExpired(hit.value, context.now()) &&
    storedVerdict(context, hit.value).kind !== 'discard',
  /** A value read from a layer that may be shown at all (stale, if not fresh). */
  hydratedShowable: ({ context }: Ctx, { hit }: { hit: HydratedValue | null }) =>
    hit !== null &&
    !isTooOld(hit.value, context.now(), context.config.maxStaleMs) &&
    storedVerdict(context, hit.value).kind !== 'discard',
  /** A TTL longer than a timer can wait (~24.8 days, or Infinity): its timer fires early and re-arms. */
  longTtl: ({ context }: Ctx) =>
    context.value !== null && context.value.expiresAt - context.value.timestamp > MAX_TIMER_MS,
};
