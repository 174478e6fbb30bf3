// Benchmarks run in a private network namespace (`unshare -n`, loopback only) where the machine allows one, as
// `npm test` does: nothing they start can reach another host.
import { rerunInPrivateNetwork } from '../../.ci/netns.mjs';

/**
 * Re-runs this benchmark inside the namespace, unless `marker` is set in the environment (it is in the re-run;
 * `=0` keeps a run in the host namespace). Returns true when the re-run ran it; its exit status is then this
 * process's.
 */
export function reexecInPrivateNetwork(marker: string): boolean {
  if (process.env[marker] !== undefined) return false;
  const rerun = rerunInPrivateNetwork(marker);
  if ('unavailable' in rerun) {
    console.log(`note: no private network namespace (${rerun.unavailable}); running in the host namespace`);
    return false;
  }
  process.exitCode = rerun.status;
  return true;
}
