/** `balance-sync/machines`: the pure statechart, for visualisation, inspection and tests. */

export type { BalanceMachine } from './balance.machine.js';
export { balanceMachine } from './balance.machine.js';
export type {
  FetchBalanceInput,
  InvalidationInput,
  ReadCacheInput,
  RejectionParams,
} from './balance.setup.js';
export type {
  BalanceConfig,
  BalanceContext,
  BalanceErrorInfo,
  BalanceInput,
  BalanceValue,
  FetchedBalance,
  HydratedValue,
  RetiredEpoch,
  RetryPolicy,
  ValueSource,
} from './context.js';
export { defaultConfig, initialContext } from './context.js';
export type { CommitAnswer, GuessedDebit, PendingOptimistic } from './debits.js';
export type {
  BalanceEmitted,
  BalanceEvent,
  BalanceEventType,
  CommitPayload,
  InternalEvent,
  MachineEvent,
  PushedBalance,
} from './events.js';
export { balanceEventTypes } from './events.js';
export * as policy from './policy.js';
