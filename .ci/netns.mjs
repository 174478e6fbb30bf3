// Running a command again inside a private network namespace (`unshare -n`) with only loopback up, so
// nothing it starts (servers, Chromium, werift) can reach another host. Used by `npm test` and the benchmarks.
import { spawnSync } from 'node:child_process';

const LOOPBACK_UP = 'ip link set lo up';

/** True in the re-run: `marker` is the environment variable rerunInPrivateNetwork set to '1'. */
export function isInsidePrivateNetwork(marker) {
  return process.env[marker] === '1';
}

/**
 * Re-runs this Node process (same binary and flags) inside the namespace and waits for it. `args` are the
 * script and its arguments, by default this process's own. Returns the re-run's exit status, or why the
 * machine offers no namespace (then the caller carries on in the host namespace).
 */
export function rerunInPrivateNetwork(marker, args = process.argv.slice(1)) {
  if (process.platform !== 'linux') return { unavailable: 'not Linux' };
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', LOOPBACK_UP], { stdio: 'pipe' });
  if (probe.status !== 0) {
    return { unavailable: probe.stderr?.toString().trim() || probe.error?.message || `exit ${probe.status}` };
  }
  const command = [process.execPath, ...process.execArgv, ...args];
  const child = spawnSync('unshare', ['-n', 'sh', '-c', `${LOOPBACK_UP} && exec "$@"`, 'sh', ...command], {
    stdio: 'inherit',
    env: { ...process.env, [marker]: '1' },
  });
  return { status: child.status ?? 1 };
}
