'use client';
import { useCallback } from 'react';
import type { InvalidationReport } from '../types.js';
import { useBalanceSync } from './context.js';

/** A stable `invalidate()` for event handlers (e.g. after the user spent tokens). */
export function useInvalidateBalance(): (options?: {
  reason?: string;
}) => Promise<InvalidationReport> {
  const sync = useBalanceSync();
  return useCallback((options?: { reason?: string }) => sync.invalidate(options), [sync]);
}
