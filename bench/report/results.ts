/** Everything one `npm run bench` measured, as the report writers read it. */
import type { ContenderName } from '../contenders/contract.js';
import type { Figures } from './figures.js';

export interface WorkloadResult {
  id: string;
  title: string;
  tabs: number;
  durationMs: number;
  figures: Record<ContenderName, Figures>;
}

export interface SizeRow {
  name: string;
  /** Own code only (dependencies external), bytes after minify + gzip. */
  ownGzip: number | null;
  /** With every dependency bundled except React, bytes after minify + gzip. */
  fullGzip: number;
}

export interface FrameLatency {
  contender: string;
  frames: number;
  p50: number;
  p95: number;
  max: number;
}

export interface LeakRow {
  what: string;
  cycles: number;
  heapGrowthMb: number;
  /** Least-squares heap slope over the cycles: a leak shows here. */
  slopeKbPer1000: number;
  /** Pending timers after the cycles and 10 idle simulated minutes. */
  timers: number;
  /** DOM listeners still on the tab's window and document. */
  listeners: number;
  /** Listeners still on the socket client. */
  socketListeners: number;
  /** BroadcastChannels still open, plus Web Locks held or waited for. */
  channels: number;
}

export interface BenchResults {
  date: string;
  node: string;
  seed: number;
  cores: number;
  workloads: WorkloadResult[];
  sizes: SizeRow[];
  frames: FrameLatency[] | { skipped: string };
  leaks: LeakRow[];
}
