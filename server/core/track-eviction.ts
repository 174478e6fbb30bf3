// Closes every track of a removed participant's SFU sessions, pushes and pulls alike, with `tracks/close` and
// `force: true` (no renegotiation with a page that is no longer trusted). The session's tracks come from the
// SFU's own `GET sessions/:id`, so it works for tracks the room never heard of too.
import * as v from 'valibot';

/** One SFU API call with the app secret (server/http/sfu-client.ts's SfuClient fits). */
export type SfuCall = (
  method: 'GET' | 'PUT',
  path: string,
  body?: unknown,
) => Promise<{ readonly status: number; readonly json: Record<string, unknown> }>;

const SessionStateSchema = v.object({
  tracks: v.optional(
    v.array(
      v.object({
        mid: v.optional(v.string()),
        status: v.optional(v.string()),
      }),
    ),
    [],
  ),
});

/** Force-closes every open track of each session; resolves with the number closed. Never rejects. */
export async function closeSessionTracks(sfu: SfuCall, sessionIds: Iterable<string>): Promise<number> {
  let closed = 0;
  for (const sessionId of new Set(sessionIds)) {
    try {
      const path = `/sessions/${encodeURIComponent(sessionId)}`;
      const state = await sfu('GET', path);
      if (state.status !== 200) continue;
      const parsed = v.safeParse(SessionStateSchema, state.json);
      if (!parsed.success) continue;
      const mids = [
        ...new Set(
          parsed.output.tracks
            .filter((t) => t.mid !== undefined && t.status !== 'inactive' && t.status !== 'closed')
            .map((t) => t.mid!),
        ),
      ];
      if (mids.length === 0) continue;
      const reply = await sfu('PUT', `${path}/tracks/close`, {
        tracks: mids.map((mid) => ({ mid })),
        force: true,
      });
      if (reply.status === 200) closed += mids.length;
    } catch {
      // The SFU is unreachable: the session's tracks stop with the page anyway, and the proxy refuses it.
    }
  }
  return closed;
}
