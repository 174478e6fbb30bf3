// `call-elements/server` and `call-elements/server/node` as a host backend gets them from npm: built JavaScript
// inside the packed files, importable and runnable by plain Node with no TypeScript loader. The package is
// packed for real and unpacked into a node_modules folder of its own, so a file missing from the package fails
// here; its dependencies resolve from the repo's node_modules further up.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const packRoot = `${repoRoot}node_modules/.cache/call-elements-pack-test/`;
const packed = `${packRoot}node_modules/call-elements/`;

interface PackageJson {
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
}

/** Plain Node (no tsx) in the unpacked package's project: `call-elements/…` resolves to the packed files. */
function plainNode(script: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe('call-elements/server', () => {
  let files: Set<string>;

  before(() => {
    rmSync(packRoot, { recursive: true, force: true });
    mkdirSync(`${packRoot}node_modules`, { recursive: true });
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packRoot], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as [{ filename: string; files: { path: string }[] }];
    files = new Set(pack.files.map((f) => f.path));
    execFileSync('tar', ['-xzf', `${packRoot}${pack.filename}`, '-C', packRoot]);
    renameSync(`${packRoot}package`, packed);
  });

  after(() => rmSync(packRoot, { recursive: true, force: true }));

  it('is packed as JavaScript with its types, like every other export, and nothing shadows node_modules', () => {
    const { exports, bin } = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as PackageJson;
    assert.ok(exports['./server'] && exports['./server/node'] && exports['./testing'], 'server and testing');
    const targets = Object.values(exports).flatMap((entry) =>
      typeof entry === 'string' ? [entry] : [entry.default, entry.types],
    );
    for (const target of [...targets, ...Object.values(bin)]) {
      // `./define/*` maps a pattern: at least one packed file must match it.
      const pattern = new RegExp(
        `^${target.replace(/^\.\//, '').replace(/[.]/g, '\\.').replace('*', '.+')}$`,
      );
      assert.ok(
        [...files].some((file) => pattern.test(file)),
        `${target} is in the package`,
      );
    }
    assert.deepEqual(
      [...files].filter((f) => f.includes('node_modules/')),
      [],
      'a dist/node_modules folder would be found before the real dependencies',
    );
  });

  it('issues and verifies a room token in plain Node', () => {
    const out = plainNode(`
      import { createCallToken, verifyCallToken } from 'call-elements/server';
      const secret = ${JSON.stringify(TEST_TOKEN_SECRET)};
      const token = await createCallToken({ secret, room: 'standup', userId: 'u1', name: 'Ada', canPublish: true });
      const claims = await verifyCallToken(token, { secret, room: 'standup' });
      console.log(JSON.stringify({ resolved: import.meta.resolve('call-elements/server'), claims }));
    `);
    const { resolved, claims } = JSON.parse(out) as {
      resolved: string;
      claims: { userId: string; name: string; room: string; canPublish: boolean };
    };
    assert.ok(resolved.startsWith(`file://${packed}`), resolved);
    assert.match(resolved, /\/dist\/node\/server\/index\.js$/);
    assert.deepEqual(
      { userId: claims.userId, name: claims.name, room: claims.room, canPublish: claims.canPublish },
      { userId: 'u1', name: 'Ada', room: 'standup', canPublish: true },
    );
  });

  it('starts the call server from call-elements/server/node in plain Node', () => {
    const out = plainNode(`
      import { readDevStackConfig, startDevStack } from 'call-elements/server/node';
      const config = readDevStackConfig({
        PORT: '0',
        CALL_TOKEN_SECRET: ${JSON.stringify(TEST_TOKEN_SECRET)},
        DEMO_TOKEN_ENDPOINT: 'off',
      });
      const stack = await startDevStack(config);
      const response = await fetch(stack.url + '/rooms/x');
      const body = await response.json();
      await stack.close();
      console.log(JSON.stringify({
        resolved: import.meta.resolve('call-elements/server/node'),
        status: response.status,
        type: response.headers.get('content-type'),
        body,
      }));
    `);
    const { resolved, status, type, body } = JSON.parse(out) as {
      resolved: string;
      status: number;
      type: string;
      body: { errorCode: string };
    };
    assert.ok(resolved.startsWith(`file://${packed}`), resolved);
    assert.equal(status, 401);
    assert.match(type, /^application\/json/);
    assert.equal(body.errorCode, 'unauthorized');
  });

  it('runs as the call-elements-server bin from environment variables, and stops on SIGINT', async () => {
    const { bin } = JSON.parse(readFileSync(`${packed}package.json`, 'utf8')) as PackageJson;
    const child = spawn(process.execPath, [`${packed}${bin['call-elements-server']}`], {
      cwd: packRoot,
      env: { ...process.env, NODE_OPTIONS: '', PORT: '0', CALL_TOKEN_SECRET: TEST_TOKEN_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 20_000);
        child.stdout.on('data', () => {
          const match = /call-elements: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match?.[1]) resolve((clearTimeout(timer), match[1]));
        });
        child.once('exit', () => reject(new Error(`exited early:\n${output}`)));
      });
      const lobby = await fetch(`${url}/rooms/x`);
      assert.equal(lobby.status, 401);
      assert.equal(((await lobby.json()) as { errorCode: string }).errorCode, 'unauthorized');
      const demo = await fetch(`${url}/api/call-token`, { method: 'POST', body: '{"room":"r"}' });
      assert.equal(demo.status, 404, 'no development token endpoint unless asked for');
      assert.doesNotMatch(output, /DEVELOPMENT ONLY/);
    } finally {
      child.kill('SIGINT');
      if (child.exitCode === null) await once(child, 'exit');
    }
    assert.equal(child.exitCode, 0, output);
  });

  it('the bin refuses to start without CALL_TOKEN_SECRET', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', PORT: '0' };
    delete env.CALL_TOKEN_SECRET;
    delete env.DEMO_TOKEN_ENDPOINT;
    assert.throws(
      () =>
        execFileSync(process.execPath, [`${packed}dist/node/server/node/cli.js`], {
          cwd: packRoot,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      (error: { status: number; stderr: Buffer }) =>
        error.status === 1 && /set CALL_TOKEN_SECRET/.test(error.stderr.toString()),
    );
  });
});
