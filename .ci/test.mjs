#!/usr/bin/env node
// `npm test`: every check, in order, inside a private network namespace when the machine allows one.
// Runs all steps even after a failure so one run shows every problem; exits non-zero if any failed.
import { spawn } from 'node:child_process';
import { isInsidePrivateNetwork, rerunInPrivateNetwork } from './netns.mjs';

const STEP_TIMEOUT_MS = 25 * 60_000;
const steps = [
  ['lint', 'npm run --silent lint'],
  ['typecheck', 'npm run --silent typecheck'],
  ['build', 'npm run --silent build'],
  ['browser tests', 'npm run --silent test:browser'],
  ['node tests', 'npm run --silent test:node'],
  // Real faults against a three-page call (test/faults/): each well under a minute; the long ones are apart.
  ['fault suite', 'npm run --silent test:faults'],
  ['bundle budget', 'npm run --silent size'],
];

const NETNS_MARKER = 'CALL_ELEMENTS_NETNS';
const insideNamespace = isInsidePrivateNetwork(NETNS_MARKER);
if (!insideNamespace && process.env.CALL_ELEMENTS_NO_NETNS !== '1') {
  const rerun = rerunInPrivateNetwork(NETNS_MARKER);
  if ('status' in rerun) process.exit(rerun.status);
}

function runStep(name, command) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== ${name}: ${command}`);
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const relay = (stream, sink) =>
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    const timer = setTimeout(() => {
      console.error(`\n${name}: timed out after ${STEP_TIMEOUT_MS / 60_000} min, killing it`);
      process.kill(-child.pid, 'SIGKILL');
    }, STEP_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ name, ok: code === 0, seconds: (Date.now() - started) / 1000, output });
    });
  });
}

// Test counts as the two runners print them: web-test-runner and node:test.
function countTests(output) {
  // eslint-disable-next-line no-control-regex -- strips the runners' ANSI colours
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  let passed = 0;
  let failed = 0;
  for (const m of plain.matchAll(/^\s*ℹ pass (\d+)$/gm)) passed += Number(m[1]);
  for (const m of plain.matchAll(/^\s*ℹ fail (\d+)$/gm)) failed += Number(m[1]);
  // web-test-runner redraws a progress line; its last one holds the totals: "| 104 passed, 0 failed".
  const progress = [...plain.matchAll(/\| (\d+) passed, (\d+) failed/g)].at(-1);
  if (progress) {
    passed += Number(progress[1]);
    failed += Number(progress[2]);
  }
  return { passed, failed };
}

console.log(
  insideNamespace ? 'network: private namespace (loopback only)' : 'network: host (no namespace available)',
);
const results = [];
for (const [name, command] of steps) results.push(await runStep(name, command));

let passed = 0;
let failed = 0;
console.log('\n=== summary');
for (const r of results) {
  const counts = countTests(r.output);
  passed += counts.passed;
  failed += counts.failed;
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
}
const failedSteps = results.filter((r) => !r.ok).length;
console.log(`${passed} passed, ${failed} failed`);
if (failedSteps > 0) {
  console.error(`${failedSteps} step(s) failed`);
  process.exit(1);
}
