/**
 * What a source tells other tabs while its sync is stopped. A stopped sync has no subscriptions
 * (invariant 7), yet its sign-in, switch, sign-out and invalidation must still reach the other
 * tabs: a sign-out in a tab whose sync is stopped (a logout page that does not mount the
 * provider) would otherwise leave the other tabs showing the user who left. A source registers
 * here how to tell one happening without listening to anything; the sync calls it for what this
 * tab does while stopped.
 */
import type { LocalHappening, SourceContext } from './types.js';

export type TellWhileStopped = (happening: LocalHappening, context: SourceContext) => void;

const tellers = new WeakMap<object, TellWhileStopped>();

/** `source`, registered with how it tells other tabs while its sync is stopped. */
export function tellsWhileStopped<T extends object>(source: T, tell: TellWhileStopped): T {
  tellers.set(source, tell);
  return source;
}

export const tellerOf = (source: object): TellWhileStopped | undefined => tellers.get(source);
