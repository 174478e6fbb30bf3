// The layering rules of house-style §16, checked on the source: the core and the HTTP handlers must run on
// Workers too (no Node-only imports), and the browser library never imports the server.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(repoRoot, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(join(repoRoot, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
}

describe('layering', () => {
  it('server/core, server/http and src/protocol import nothing Node-only', async () => {
    const files = [
      ...(await sourceFiles('server/core')),
      ...(await sourceFiles('server/http')),
      ...(await sourceFiles('src/protocol')),
    ];
    assert.ok(files.length > 10);
    for (const file of files) {
      for (const specifier of await importsOf(file)) {
        assert.ok(
          !specifier.startsWith('node:') && !['ws', '@hono/node-server'].includes(specifier),
          `${file} imports ${specifier}`,
        );
      }
      assert.doesNotMatch(
        await readFile(join(repoRoot, file), 'utf8'),
        /\b(process\.env|Buffer\.|require\()/,
        file,
      );
    }
  });

  it('server/core depends on itself, src/protocol, jose and valibot only: never ws, node: or an adapter', async () => {
    const files = await sourceFiles('server/core');
    for (const runtimeNeutral of ['presence-connection.ts', 'presence-hub.ts', 'room-presence.ts']) {
      assert.ok(files.includes(join('server/core', runtimeNeutral)), `${runtimeNeutral} is checked`);
    }
    for (const file of files) {
      for (const specifier of await importsOf(file)) {
        assert.ok(
          specifier.startsWith('./') ||
            specifier.startsWith('../../src/protocol/') ||
            ['jose', 'valibot'].includes(specifier),
          `${file} imports ${specifier}`,
        );
      }
    }
  });

  it('src/protocol is self-contained (only valibot) and src/ never imports server/', async () => {
    for (const file of await sourceFiles('src/protocol')) {
      for (const specifier of await importsOf(file)) {
        assert.ok(specifier === 'valibot' || specifier.startsWith('./'), `${file} imports ${specifier}`);
      }
    }
    for (const file of await sourceFiles('src')) {
      for (const specifier of await importsOf(file))
        assert.doesNotMatch(specifier, /(^|\/)server\//, `${file} imports ${specifier}`);
    }
  });

  it('src/core is headless: no Lit, no elements, no DOM events of the library', async () => {
    const files = await sourceFiles('src/core');
    assert.ok(files.length > 10);
    for (const file of files) {
      for (const specifier of await importsOf(file)) {
        assert.doesNotMatch(
          specifier,
          /(^|\/)(events|components|controllers|context)\//,
          `${file} imports ${specifier}`,
        );
        assert.ok(!/^lit($|\/)|^@lit\//.test(specifier), `${file} imports ${specifier}`);
      }
    }
  });
});
