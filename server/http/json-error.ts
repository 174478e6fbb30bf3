// Every error the call server sends: `{errorCode, errorDescription}` JSON, the shape partytracks reads from
// Cloudflare. Never HTML, never a redirect (partytracks turns a 3xx into alert() + a host-page reload).

export type ErrorStatus =
  | 400
  | 401
  | 403
  | 404
  | 405
  | 406
  | 408
  | 409
  | 410
  | 412
  | 413
  | 415
  | 422
  | 429
  | 431
  | 500
  | 502
  | 503
  | 504;

export function jsonError(
  status: ErrorStatus,
  errorCode: string,
  errorDescription: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { errorCode, errorDescription },
    { status, headers: { 'cache-control': 'no-store', ...headers } },
  );
}
