// Test-only HTTP routes for an SFU in another process (the fault suite): never served unless the SFU is
// started with `testControls: true` (`npm run sfu -- --test-controls`), and behind the bearer app secret.
//   GET  /test/stats                          → 200 the SFU's counts (`LocalSfu.stats()`)
//   POST /test/sessions/:id/blackhole {"ms"}  → 200 {sessionId, ms}: drop the session's UDP both ways for ms
import { readJsonBody } from './body.js';
import { errors, SfuError } from './errors.js';
import { authorized, digest, json } from './http-api.js';
import type { LocalSfuState } from './sfu.js';

const BLACKHOLE_PATH = /^\/test\/sessions\/([^/]+)\/blackhole$/;
/** Longer than any fault a test injects; a typo must not cut a session off for hours. */
const MAX_BLACKHOLE_MS = 10 * 60_000;

type Handler = (request: Request) => Promise<Response>;

/** Serves the test routes under `/test/`, and everything else with `api`. */
export function withTestControls(api: Handler, state: LocalSfuState, appSecret: string): Handler {
  const secretDigest = digest(appSecret);
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (!path.startsWith('/test/')) return api(request);
    try {
      if (!authorized(request, secretDigest)) throw errors.unauthorized();
      if (path === '/test/stats') {
        if (request.method !== 'GET') throw errors.methodNotAllowed();
        return json(200, state.stats());
      }
      const blackhole = BLACKHOLE_PATH.exec(path);
      if (!blackhole) throw errors.routeNotFound();
      if (request.method !== 'POST') throw errors.methodNotAllowed();
      const ms = ((await readJsonBody(request, 1024)) as { ms?: unknown } | undefined)?.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_BLACKHOLE_MS) {
        throw errors.invalidParams(`ms must be a number from 0 to ${MAX_BLACKHOLE_MS}`);
      }
      const sessionId = decodeURIComponent(blackhole[1]);
      state.blackhole(sessionId, ms);
      return json(200, { sessionId, ms });
    } catch (error) {
      if (error instanceof SfuError) return json(error.status, error.toJSON());
      throw error;
    }
  };
}
