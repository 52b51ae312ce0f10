'use client';
export type { BalanceDevtoolsProps } from './balance-devtools.js';
/** `balance-sync/devtools`: a development panel; a separate entry so production can leave it out. */
export { BalanceDevtools } from './balance-devtools.js';
export type { LogEntry } from './use-machine-view.js';
export { describeEventType, describeStateValue, useMachineView } from './use-machine-view.js';
