// The IPC messages between the fault suite and its child processes: the SFU (fault-sfu-process.ts) answers all
// of them, the call server (fault-call-server-process.ts) `heap` only.
import type { SfuStats } from '../../server/sfu/index.js';

export type ChildRequest =
  { id: number; type: 'stats' } | { id: number; type: 'sweep' } | { id: number; type: 'heap' };

export type ChildReply =
  | { id: 0; type: 'ready'; baseUrl: string }
  | { id: number; type: 'stats'; stats: SfuStats; heapUsed: number }
  | { id: number; type: 'swept' }
  | { id: number; type: 'heap'; heapUsed: number };

/** The heap after a full collection (the child runs with --expose-gc), so the figure is what is kept. */
export function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}
