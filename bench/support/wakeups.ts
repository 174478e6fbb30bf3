// How often a process's main thread wakes, and how many UDP datagrams the network namespace delivers, over a
// window, from /proc (Linux only). In the chat bench's private namespace nearly every datagram is one the
// browsers and the local SFU exchange, and each one the SFU receives wakes its event loop: a wake-up that
// waits for a core on a busy machine delays the chat message behind it.
import { readFileSync } from 'node:fs';

export interface WakeupCounts {
  /** The main thread gave up the CPU to wait (epoll, in Node's event loop): about one per wake-up. */
  voluntarySwitches: number;
  /** The main thread was preempted. */
  involuntarySwitches: number;
  /** UDP datagrams delivered to any socket in this network namespace (`/proc/net/snmp` InDatagrams). */
  udpDatagrams: number;
}

/** Counts now for `pid`'s main thread; undefined where /proc does not tell (not Linux, process gone). */
export function wakeupCounts(pid: number): WakeupCounts | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    const snmp = readFileSync('/proc/net/snmp', 'utf8').split('\n');
    const header = snmp.find((line) => line.startsWith('Udp: InDatagrams'))?.split(/\s+/) ?? [];
    const values = snmp.filter((line) => line.startsWith('Udp: '))[1]?.split(/\s+/) ?? [];
    return {
      voluntarySwitches: field('voluntary_ctxt_switches'),
      involuntarySwitches: field('nonvoluntary_ctxt_switches'),
      udpDatagrams: Number(values[header.indexOf('InDatagrams')]),
    };
  } catch {
    return undefined;
  }
}

/** Per-second rates between two readings `seconds` apart. */
export function wakeupRates(before: WakeupCounts, after: WakeupCounts, seconds: number): WakeupCounts {
  const rate = (key: keyof WakeupCounts) => (after[key] - before[key]) / seconds;
  return {
    voluntarySwitches: rate('voluntarySwitches'),
    involuntarySwitches: rate('involuntarySwitches'),
    udpDatagrams: rate('udpDatagrams'),
  };
}
