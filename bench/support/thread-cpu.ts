// CPU time per thread name over this process's Chromium descendants, from /proc: where a
// page's CPU goes (CrRendererMain, Compositor, WebRTC_*, VizCompositorTh, CrGpuMain...). Linux only; other
// engineers' browsers on the same machine are not descendants, so they are not counted.
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second (USER_HZ); 100 on Linux. */
const TICKS_PER_SECOND = 100;

function stat(path: string): { comm: string; ppid: number; cpuTicks: number } | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    const rest = text.slice(close + 2).split(' ');
    // After the name: state ppid ... utime (field 14) stime (15), counted from 1 with pid and comm.
    return {
      comm: text.slice(open + 1, close),
      ppid: Number(rest[1]),
      cpuTicks: Number(rest[11]) + Number(rest[12]),
    };
  } catch {
    return undefined; // the process or thread ended
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const s = stat(`/proc/${pid}/stat`);
    if (!s) continue;
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Milliseconds of CPU per thread name, summed over every descendant process of this one. */
export function threadCpuMs(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const pid of descendants(process.pid)) {
    let tasks: string[];
    try {
      // Chromium only: the local SFU's process is a descendant too.
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium')) continue;
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      const s = stat(`/proc/${pid}/task/${tid}/stat`);
      if (!s) continue;
      // Chromium numbers some pools (ThreadPoolForeg, ThreadPoolSingl): one name per kind.
      const name = s.comm.replace(/\d+$/, '');
      byName.set(name, (byName.get(name) ?? 0) + (s.cpuTicks * 1000) / TICKS_PER_SECOND);
    }
  }
  return byName;
}

/** `after − before` per thread name, per second of `seconds`. */
export function threadCpuDelta(
  before: Map<string, number>,
  after: Map<string, number>,
  seconds: number,
): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, ms] of after) delta.set(name, (ms - (before.get(name) ?? 0)) / seconds);
  return delta;
}
