// Finding 9 of the reliability review: the development server keeps one token secret across restarts (a
// generated file in its data folder), so tokens handed out before a restart still work after it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readDevStackConfig } from '../../../server/node/config.js';
import { startDevStack } from '../../../server/node/dev-stack.js';

describe('development server: token secret across restarts', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'call-data-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  const start = () => startDevStack(readDevStackConfig({ PORT: '0', DATA_DIR: dataDir }));

  it('generates the secret once, keeps it private, and accepts old tokens after a restart', async () => {
    const first = await start();
    let token: string;
    try {
      assert.equal(first.ephemeralTokenSecret, false);
      const reply = await fetch(`${first.url}/api/call-token`, { method: 'POST', body: '{"room":"r"}' });
      ({ token } = (await reply.json()) as { token: string });
    } finally {
      await first.close();
    }
    const file = join(dataDir, 'call-token-secret');
    const secret = (await readFile(file, 'utf8')).trim();
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.equal((await stat(file)).mode & 0o077, 0, 'only the owner may read it');

    const second = await start();
    try {
      const lobby = await fetch(`${second.url}/rooms/r`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(lobby.status, 200, 'a token from before the restart is still valid');
      assert.equal((await readFile(file, 'utf8')).trim(), secret, 'the same secret, not a new one');
    } finally {
      await second.close();
    }
  });

  it('still prefers CALL_TOKEN_SECRET when it is set', async () => {
    const config = readDevStackConfig({ PORT: '0', DATA_DIR: dataDir, CALL_TOKEN_SECRET: 'x'.repeat(40) });
    assert.equal(config.tokenSecret, 'x'.repeat(40));
  });
});
