// Headers for a test request whose body the server refuses unread (413 before reading, reliability.md #11).
// The server closes that connection after the reply. workerd (Miniflare, `npm run dev:workers`) does it without
// saying `Connection: close` when the reply is streamed: Miniflare gzips JSON as Cloudflare's edge would, and
// a Worker can't set `Connection` itself. undici then sends the next request on the closing socket, and that
// request fails with `fetch failed` (cause: other side closed, or EPIPE), now and then, more often on a busy
// machine. It happens with every compatibility date. Browsers resend such a request on a fresh connection; undici
// doesn't resend a POST. So the test client announces the close itself, and the next request gets a new socket.

/** Spread into the headers of a request that is meant to be refused with 413. */
export const REFUSED_UPLOAD_HEADERS: Readonly<Record<string, string>> = { connection: 'close' };
