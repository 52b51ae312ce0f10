/**
 * Names that the code blocks in README.md and docs/ take as given, so that examples read like
 * an app's code. Only tests/docs/code-blocks.test.ts uses this file. To add one: declare it
 * below with the narrowest type the examples need, and a line saying what it stands for.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { BalanceSync, BalanceSyncOptions, PushedBalance, SocketLike } from 'balance-sync';
import type { ReactNode } from 'react';

declare global {
  /** The app's signed-in session. */
  const session: { userId: string };
  /** The app's API client. */
  const api: { submitAssessment(): Promise<unknown> };
  /** The app's existing socket client (socket.io style). */
  const socket: {
    on(event: 'token-balance-updated', listener: (message: PushedBalance) => void): void;
  };
  /** socket.io-client's `io`. */
  function io(url: string): SocketLike;
  /** The app's sync, created as in the README's quick start. */
  const sync: BalanceSync;
  /** The app's fetcher, as `createBalanceSync` takes it. */
  const fetchBalance: BalanceSyncOptions['fetchBalance'];
  /** The app's TanStack Query client. */
  const queryClient: QueryClient;
  /** The app's own way of showing the balance. */
  function render(balance: number | null, isStale?: boolean): void;
  /** The app's loading indicator. */
  function Spinner(): ReactNode;

  /** An Express- or Fastify-style server app, for the server-contract examples. */
  const app: {
    get(path: string, handler: (request: ServerRequest, reply: ServerReply) => void): void;
    post(path: string, handler: (request: ServerRequest, reply: ServerReply) => void): void;
  };
  interface ServerRequest {
    userId: string;
    body: { cost: number };
    header(name: string): string | undefined;
  }
  interface ServerReply {
    json(body: unknown): void;
    status(code: number): ServerReply;
  }
  /** The server's ledger: balances with a version per user and one epoch per counter. */
  const ledger: {
    epoch: string;
    get(userId: string): { balance: number; version: number; updatedAt: string };
    debit(userId: string, cost: number): { balance: number; version: number; updatedAt: string };
    eventsSince(userId: string, eventId: string): { id: string; data: unknown }[] | null;
  };
  /** The server's pushes to one user's open sockets and streams. */
  function pushToUser(userId: string, message: unknown): void;
}
