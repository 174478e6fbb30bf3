// The development server's token secret, kept in its data folder so a restart does not invalidate every token
// handed out before it (and every page in a call with it).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TOKEN_SECRET_FILE = 'call-token-secret';

/** Reads `<dataDir>/call-token-secret`, creating it (64 hex digits, owner-only) on first use. */
export async function loadOrCreateTokenSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, TOKEN_SECRET_FILE);
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length >= 64) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
