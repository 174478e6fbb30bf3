// A Node presence server in a process of its own, so its memory and CPU are its own: for the presence load
// test and `npm run bench -- presence`. `run` gets its URL and process id; the process ends after it.
import { spawn } from 'node:child_process';
import { repoRoot } from './bundle-page.js';

export async function withNodePresenceServer<T>(run: (url: string, pid: number) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/presence-server-process.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk) => resolve(String(chunk).trim())),
    );
    return await run(url, child.pid!);
  } finally {
    child.kill();
  }
}
