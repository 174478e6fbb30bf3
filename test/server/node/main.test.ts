// `npm start`'s entry as a real process: prints its URL, serves the demo, stops cleanly on SIGINT.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/node/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /call-elements: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', () => reject(new Error(`exited early:\n${output}`)));
  });
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

describe('npm start entry (server/node/main.ts)', () => {
  it('prints the URL, warns about the demo endpoint, serves demo/ and stops on SIGINT', async () => {
    const main = await runMain({});
    try {
      assert.match(main.output(), /local SFU at http:\/\/127\.0\.0\.1:\d+/);
      assert.match(main.output(), /DEVELOPMENT ONLY/);
      const page = await fetch(`${main.url}/`, { redirect: 'manual' });
      assert.equal(page.status, 200);
      const token = await fetch(`${main.url}/api/call-token`, { method: 'POST', body: '{"room":"r"}' });
      assert.equal(token.status, 200);
    } finally {
      assert.equal(await main.stop(), 0);
    }
  });

  it('switches the demo token endpoint off with DEMO_TOKEN_ENDPOINT=off', async () => {
    const main = await runMain({ DEMO_TOKEN_ENDPOINT: 'off' });
    try {
      assert.doesNotMatch(main.output(), /DEVELOPMENT ONLY/);
      const token = await fetch(`${main.url}/api/call-token`, { method: 'POST', body: '{"room":"r"}' });
      assert.equal(token.status, 404);
    } finally {
      assert.equal(await main.stop(), 0);
    }
  });
});
