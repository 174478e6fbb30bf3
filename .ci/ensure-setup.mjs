#!/usr/bin/env node
// Runs on whatever Node the machine has (no dependencies): makes a fresh clone runnable.
// Installs node_modules with `npm ci` when missing and, for tests, Debian's Chromium and iproute2 (`ip` for the
// private network namespace, `tc` for the fault suite's blackholes) when running as root.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const purpose = process.argv.includes('--for') ? process.argv[process.argv.indexOf('--for') + 1] : 'test';
const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
const fail = (message) => {
  console.error(`setup: ${message}`);
  process.exit(1);
};

if (!existsSync('node_modules/.bin/node') || !existsSync('node_modules/.package-lock.json')) {
  console.log('setup: node_modules missing, running npm ci');
  run('npm ci --no-audit --no-fund');
}

export const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/lib/chromium/chromium';
if (purpose === 'test' && !existsSync(chromiumPath)) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) fail(`Chromium not found at ${chromiumPath}. Install it: sudo apt-get install -y chromium`);
  console.log('setup: installing Chromium through apt');
  run('apt-get update -qq');
  run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation');
  if (!existsSync(chromiumPath))
    fail(`apt installed chromium but ${chromiumPath} is missing; set CHROMIUM_BIN`);
}

// `ip` brings up loopback in the test's private network namespace; `tc` drops datagrams for the fault suite.
const hasIproute2 = ['/usr/sbin/tc', '/sbin/tc', '/usr/bin/tc'].some((path) => existsSync(path));
if (purpose === 'test' && !hasIproute2 && process.getuid?.() === 0) {
  console.log('setup: installing iproute2 through apt');
  run('apt-get update -qq');
  run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2');
}
