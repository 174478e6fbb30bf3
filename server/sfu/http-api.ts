// The Cloudflare Realtime SFU HTTP API as a web-standard `Request → Response` handler, served under
// `/v1/apps/:appId/…` and `/apps/:appId/…`. Every response body is JSON, errors included.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readJsonBody } from './body.js';
import * as dataChannels from './data-channel-api.js';
import { errors, SfuError } from './errors.js';
import { MAX_BODY_BYTES } from './limits.js';
import {
  checkTrackCount,
  CloseTracksRequest,
  decode,
  NewSessionRequest,
  RenegotiateRequest,
  TracksRequest,
  UpdateTracksRequest,
} from './schemas.js';
import type { LocalSfuState } from './sfu.js';

export interface ApiOptions {
  appId: string;
  appSecret: string;
  /** Called with unexpected (non-API) errors; they are answered as `internal_error`. */
  onError?: (error: unknown) => void;
}

type Handler = (state: LocalSfuState, request: Request, sessionId: string) => Promise<Response>;

const APP_PATH = /^\/(?:v1\/)?apps\/([^/]+)(\/.*)$/;
const TURN_PATH = /^\/(?:v1\/)?turn\/keys\/[^/]+\/credentials\/generate-ice-servers$/;

const routes: { method: string; path: RegExp; handler: Handler }[] = [
  { method: 'POST', path: /^\/sessions\/new$/, handler: newSession },
  { method: 'GET', path: /^\/sessions\/([^/]+)$/, handler: getSession },
  { method: 'POST', path: /^\/sessions\/([^/]+)\/tracks\/new$/, handler: newTracks },
  { method: 'PUT', path: /^\/sessions\/([^/]+)\/renegotiate$/, handler: renegotiate },
  { method: 'PUT', path: /^\/sessions\/([^/]+)\/tracks\/update$/, handler: updateTracks },
  { method: 'PUT', path: /^\/sessions\/([^/]+)\/tracks\/close$/, handler: closeTracks },
  {
    method: 'POST',
    path: /^\/sessions\/([^/]+)\/datachannels\/establish$/,
    handler: withJson(dataChannels.establish),
  },
  {
    method: 'POST',
    path: /^\/sessions\/([^/]+)\/datachannels\/new$/,
    handler: withJson(dataChannels.newDataChannels),
  },
  {
    method: 'PUT',
    path: /^\/sessions\/([^/]+)\/datachannels\/update$/,
    handler: withJson(dataChannels.updateDataChannels),
  },
  {
    method: 'PUT',
    path: /^\/sessions\/([^/]+)\/datachannels\/close$/,
    handler: withJson(dataChannels.closeDataChannels),
  },
];

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', vary: 'Origin' },
  });
}

/** Builds the handler. `state` holds the sessions; one state can sit behind several handlers. */
export function createSfuHandler(
  state: LocalSfuState,
  options: ApiOptions,
): (request: Request) => Promise<Response> {
  const secretDigest = digest(options.appSecret);
  return async (request) => {
    try {
      const path = new URL(request.url).pathname;
      if (TURN_PATH.test(path)) {
        // partytracks' proxy may ask for TURN credentials; the local SFU needs none (loopback only).
        if (request.method !== 'POST') throw errors.methodNotAllowed();
        return json(201, { iceServers: [] });
      }
      const app = APP_PATH.exec(path);
      if (!app) throw errors.routeNotFound();
      if (!authorized(request, secretDigest)) throw errors.unauthorized();
      if (decodeURIComponent(app[1]) !== options.appId) throw errors.appNotFound();
      const rest = app[2];
      const matching = routes.filter((r) => r.path.test(rest));
      if (matching.length === 0) throw errors.routeNotFound();
      const route = matching.find((r) => r.method === request.method);
      if (!route) throw errors.methodNotAllowed();
      const sessionId = route.path.exec(rest)?.[1] ?? '';
      return await route.handler(state, request, sessionId);
    } catch (error) {
      if (error instanceof SfuError) {
        const response = json(error.status, error.toJSON());
        // The rest of an oversized body stays unread: don't let the client reuse this connection.
        if (error.status === 413) response.headers.set('connection', 'close');
        return response;
      }
      options.onError?.(error);
      return json(500, errors.internal().toJSON());
    }
  };
}

export function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function authorized(request: Request, secretDigest: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '');
  return !!match && timingSafeEqual(digest(match[1]), secretDigest);
}

const body = (request: Request) => readJsonBody(request, MAX_BODY_BYTES);

async function newSession(state: LocalSfuState, request: Request): Promise<Response> {
  const offer = decode(NewSessionRequest, await body(request))?.sessionDescription;
  const session = state.createSession();
  if (!offer) return json(201, { sessionId: session.id });
  try {
    const answer = await session.answerInitialOffer(offer);
    return json(201, { sessionId: session.id, sessionDescription: answer });
  } catch (error) {
    await state.closeSession(session);
    throw error;
  }
}

async function getSession(state: LocalSfuState, _request: Request, sessionId: string): Promise<Response> {
  return json(200, state.session(sessionId).describe());
}

async function newTracks(state: LocalSfuState, request: Request, sessionId: string): Promise<Response> {
  const session = state.session(sessionId);
  const req = decode(TracksRequest, await body(request));
  checkTrackCount(req.tracks);
  const tracks = req.tracks ?? [];
  const remote = tracks.filter((t) => t.location === 'remote');
  if (remote.length > 0 && remote.length !== tracks.length) {
    throw errors.invalidParams('A batch must be all local or all remote tracks');
  }
  if (remote.length > 0) return json(200, await session.subscribe(tracks, req.sessionDescription));
  if (!req.sessionDescription) {
    throw errors.invalidParams(
      'Publishing needs the sessionDescription offer (SFU-generated offers for local tracks are not supported)',
    );
  }
  if (tracks.length === 0 && !req.autoDiscover) throw errors.invalidParams('No tracks in the request');
  return json(200, await session.publish(req.sessionDescription, tracks, req.autoDiscover ?? false));
}

async function renegotiate(state: LocalSfuState, request: Request, sessionId: string): Promise<Response> {
  const session = state.session(sessionId);
  const req = decode(RenegotiateRequest, await body(request));
  return json(200, await session.renegotiate(req.sessionDescription));
}

async function updateTracks(state: LocalSfuState, request: Request, sessionId: string): Promise<Response> {
  const session = state.session(sessionId);
  const req = decode(UpdateTracksRequest, await body(request));
  checkTrackCount(req.tracks);
  return json(200, session.update(req.tracks));
}

async function closeTracks(state: LocalSfuState, request: Request, sessionId: string): Promise<Response> {
  const session = state.session(sessionId);
  const req = decode(CloseTracksRequest, await body(request));
  checkTrackCount(req.tracks);
  const mids = req.tracks.map((t) => t.mid);
  return json(200, await session.close(mids, req.sessionDescription, req.force));
}

function withJson(
  handler: (
    state: LocalSfuState,
    request: Request,
    sessionId: string,
    reply: typeof json,
  ) => Promise<Response>,
): Handler {
  return (state, request, sessionId) => handler(state, request, sessionId, json);
}
