// Network faults on loopback for the fault suite, with `tc` inside the test's private network namespace:
// traffic to or from chosen UDP ports is redirected to a veth that is down, so it vanishes without an error
// on either side, as over a dead link. Refuses to run in the host's namespace: it would cut the host's own
// loopback traffic.
import { execFileSync } from 'node:child_process';

const SINK = 'faultsink0';
/** Filter priorities this module owns on lo's egress hook. */
const FIRST_PRIO = 4000;

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Throws unless this process runs in a private network namespace, as `unshare -n` (and `npm test`) make one:
 * nothing but loopback (and this module's own sink) in it.
 */
export function assertPrivateNetwork(): void {
  const links = run('ip', ['-o', 'link', 'show'])
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(':')[1].trim().split('@')[0]);
  const foreign = links.filter((name) => name !== 'lo' && !name.startsWith(SINK));
  if (foreign.length > 0) {
    throw new Error(
      `network faults need a private network namespace (run under \`unshare -n\`); this one has ${foreign.join(', ')}`,
    );
  }
}

/** Adds the sink device and the clsact hook on lo once per namespace. */
function prepare(): void {
  if (!run('ip', ['-o', 'link', 'show']).includes(`${SINK}@`)) {
    run('ip', ['link', 'add', SINK, 'type', 'veth', 'peer', 'name', `${SINK}p`]);
  }
  if (!run('tc', ['qdisc', 'show', 'dev', 'lo']).includes('clsact')) {
    run('tc', ['qdisc', 'add', 'dev', 'lo', 'clsact']);
  }
}

/** Drops every UDP datagram from or to `ports` on 127.0.0.1 until `end()`. */
export class UdpBlackhole {
  readonly #prios: number[] = [];
  static #nextPrio = FIRST_PRIO;

  constructor(readonly ports: readonly number[]) {}

  start(): void {
    assertPrivateNetwork();
    prepare();
    for (const port of this.ports) {
      for (const field of ['sport', 'dport']) {
        const prio = UdpBlackhole.#nextPrio++;
        // match: IPv4, protocol 17 (UDP), the port; action: redirect into the dead sink.
        run('tc', [
          'filter', 'add', 'dev', 'lo', 'egress', 'protocol', 'ip', 'prio', String(prio), 'u32',
          'match', 'ip', 'protocol', '17', '0xff',
          'match', 'ip', field, String(port), '0xffff',
          'action', 'mirred', 'egress', 'redirect', 'dev', SINK,
        ]); // prettier-ignore
        this.#prios.push(prio);
      }
    }
  }

  end(): void {
    for (const prio of this.#prios.splice(0)) {
      run('tc', ['filter', 'del', 'dev', 'lo', 'egress', 'prio', String(prio)]);
    }
  }
}

/** Takes the namespace's loopback down (every socket of every page and server loses the network) or up. */
export function setLoopback(state: 'up' | 'down'): void {
  assertPrivateNetwork();
  run('ip', ['link', 'set', 'lo', state]);
}
