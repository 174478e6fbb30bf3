// The local SFU never leaves 127.0.0.1: a full Chromium call runs under a loopback guard that blocks and
// fails on any DNS lookup (mDNS included) or UDP/TCP to another address. Uses the shared team guard when
// the checkout has it, and always the project's own (test/support/loopback-guard.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const drill = fileURLToPath(new URL('../support/sfu-loopback-drill.ts', import.meta.url));
const ownGuard = fileURLToPath(new URL('../support/loopback-guard.ts', import.meta.url));
const sharedGuard = fileURLToPath(new URL('../../../shared/tools/loopback-guard.cjs', import.meta.url));

function runGuarded(guardArgs: string[], script: string) {
  return spawnSync(process.execPath, [...guardArgs, '--import', 'tsx', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, LOOPBACK_GUARD_STRICT: '1' },
  });
}

test('the project guard catches a DNS lookup (so a pass below means something)', () => {
  const probe = fileURLToPath(new URL('../support/loopback-guard-probe.ts', import.meta.url));
  const result = runGuarded(['--import', 'tsx', '--import', ownGuard], probe);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /\[loopback-guard\] blocked dns\.lookup -> example\.invalid/);
});

const guards: [string, string[]][] = [
  ['project guard', ['--import', 'tsx', '--import', ownGuard]],
  ...(existsSync(sharedGuard) ? [['shared guard', ['-r', sharedGuard]] as [string, string[]]] : []),
];

for (const [name, args] of guards) {
  test(`a full call through the local SFU stays on loopback (${name})`, () => {
    const result = runGuarded(args, drill);
    assert.equal(result.status, 0, `exit ${result.status}\n${result.stderr.slice(-3000)}`);
    assert.match(result.stdout, /drill ok/);
    assert.doesNotMatch(result.stderr, /loopback-guard\] blocked/);
  });
}
