// `call-elements/server` as a host backend gets it from npm: built JavaScript inside the packed files, importable
// by plain Node with no TypeScript loader.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('call-elements/server', () => {
  it('is packed as JavaScript with its types, like every other export, and nothing shadows node_modules', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as [{ files: { path: string }[] }];
    const files = new Set(pack.files.map((f) => f.path));
    const { exports } = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    assert.ok(exports['./server'] && exports['./testing'], 'server and testing are exported');
    for (const entry of Object.values(exports)) {
      for (const target of typeof entry === 'string' ? [entry] : [entry.default, entry.types]) {
        // `./define/*` maps a pattern: at least one packed file must match it.
        const pattern = new RegExp(
          `^${target.replace(/^\.\//, '').replace(/[.]/g, '\\.').replace('*', '.+')}$`,
        );
        assert.ok(
          [...files].some((file) => pattern.test(file)),
          `${target} is in the package`,
        );
      }
    }
    assert.deepEqual(
      [...files].filter((f) => f.includes('node_modules/')),
      [],
      'a dist/node_modules folder would be found before the real dependencies',
    );
  });

  it('issues and verifies a room token in plain Node', () => {
    const script = `
      import { createCallToken, verifyCallToken } from 'call-elements/server';
      const secret = ${JSON.stringify(TEST_TOKEN_SECRET)};
      const token = await createCallToken({ secret, room: 'standup', userId: 'u1', name: 'Ada', canPublish: true });
      const claims = await verifyCallToken(token, { secret, room: 'standup' });
      console.log(JSON.stringify({ resolved: import.meta.resolve('call-elements/server'), claims }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const { resolved, claims } = JSON.parse(out) as {
      resolved: string;
      claims: { userId: string; name: string; room: string; canPublish: boolean };
    };
    assert.match(resolved, /\/dist\/node\/server\/index\.js$/);
    assert.deepEqual(
      { userId: claims.userId, name: claims.name, room: claims.room, canPublish: claims.canPublish },
      { userId: 'u1', name: 'Ada', room: 'standup', canPublish: true },
    );
  });
});
