/**
 * What every contender gets and returns. A contender is an app: one React root per tab with
 * `subscribers` components showing the balance, wired the way its library's users wire it.
 * Contenders are bundled and loaded once per tab, so module singletons (TanStack's
 * focusManager, SWR's cache) are per tab, as in a browser.
 */
import { type ComponentType, createContext, useContext } from 'react';

export interface Payload {
  balance: number;
  version: number;
  updatedAt: number;
}

/** The socket.io-like client of the tab (`token-balance-updated`, `connect`, `disconnect`). */
export interface TabSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  connected: boolean;
}

export interface PushMessage {
  userId: string;
  balance: number;
  version: number;
  updatedAt: number;
}

export interface ContenderEnv {
  tab: { index: number; window: Window; container: HTMLElement };
  subscribers: number;
  fetchBalance(userId: string, signal?: AbortSignal): Promise<Payload>;
  socket: TabSocket;
  BroadcastChannel: new (name: string) => BroadcastChannel;
  locks: LockManager;
  /** Renders the number a subscriber shows; the harness records every commit. */
  Shown: ComponentType<{ subscriber: number; balance: number | null }>;
}

export interface MountedApp {
  /** Sign-in switch: from now on the app is the new user's. */
  setUser(userId: string): void;
  unmount(): void;
}

export type MountApp = (env: ContenderEnv, userId: string) => MountedApp;

export const contenderNames = ['balance-sync', 'swr', 'tanstack-query', 'naive'] as const;
export type ContenderName = (typeof contenderNames)[number];

export const range = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

/** The tab's environment, for the contender's components (module-level, not per mount). */
export const EnvContext = createContext<ContenderEnv | null>(null);

export function useEnv(): ContenderEnv {
  const env = useContext(EnvContext);
  if (env === null) throw new Error('contender component outside its EnvContext');
  return env;
}
