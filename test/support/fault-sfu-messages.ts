// The IPC messages between the fault suite and its SFU child process (test/support/fault-sfu-process.ts).
import type { SfuStats } from '../../server/sfu/index.js';

export type SfuChildRequest = { id: number; type: 'stats' } | { id: number; type: 'sweep' };

export type SfuChildReply =
  | { id: 0; type: 'ready'; baseUrl: string }
  | { id: number; type: 'stats'; stats: SfuStats; heapUsed: number }
  | { id: number; type: 'swept' };
