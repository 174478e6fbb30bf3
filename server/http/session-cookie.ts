// partytracks' session lock cookie (`partytracks-session-<id>`). Only this one cookie is passed on to
// routePartyTracksRequest; the host page's own cookies never leave the call server.

export const sessionCookieName = (sessionId: string) => `partytracks-session-${sessionId}`;

/** `name=value` of the lock cookie for this session, if the request carries it. */
export function findSessionCookie(request: Request, sessionId: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  const name = sessionCookieName(sessionId);
  for (const part of header.split(';')) {
    const pair = part.trim();
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}
