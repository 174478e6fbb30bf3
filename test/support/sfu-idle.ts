// "The SFU holds nothing": every gauge of its stats at zero. Counters that only grow (packets, messages, the
// UDP gate's drops) are left out, so one assertion serves every test that cleans up after itself.
import assert from 'node:assert/strict';
import type { SfuStats } from '../../server/sfu/index.js';

/** The gauges of `SfuStats`: what is held right now. */
export function sfuHoldings(stats: SfuStats) {
  const { sessions, publications, transceivers, forwarders, timers } = stats;
  const { dataChannelPublications, dataChannels, sctpAssociations } = stats;
  return {
    sessions,
    publications,
    transceivers,
    forwarders,
    timers,
    dataChannelPublications,
    dataChannels,
    sctpAssociations,
  };
}

/** Fails unless the SFU holds no session, track, forwarder, timer or data channel. */
export function assertSfuIdle(stats: SfuStats, message?: string): void {
  const holdings = sfuHoldings(stats);
  const zero = Object.fromEntries(Object.keys(holdings).map((key) => [key, 0]));
  assert.deepEqual(holdings, zero, message);
}
