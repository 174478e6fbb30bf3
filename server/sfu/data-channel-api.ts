// The DataChannel endpoints of the HTTP API: establish, new, update, close.
import { readJsonBody } from './body.js';
import { DataChannelsCloseRequest, DataChannelsRequest, EstablishRequest } from './data-channel-schemas.js';
import { MAX_BODY_BYTES } from './limits.js';
import { decode } from './schemas.js';
import type { LocalSfuState } from './sfu.js';

type Json = (status: number, body: unknown) => Response;

const body = (request: Request) => readJsonBody(request, MAX_BODY_BYTES);

export async function establish(state: LocalSfuState, request: Request, sessionId: string, json: Json) {
  const session = state.session(sessionId);
  const req = decode(EstablishRequest, await body(request));
  return json(200, await session.establish(req?.sessionDescription));
}

export async function newDataChannels(state: LocalSfuState, request: Request, sessionId: string, json: Json) {
  const session = state.session(sessionId);
  const req = decode(DataChannelsRequest, await body(request));
  return json(200, { dataChannels: session.dataChannels.create(session.peer?.pc, req.dataChannels) });
}

export async function updateDataChannels(
  state: LocalSfuState,
  request: Request,
  sessionId: string,
  json: Json,
) {
  const session = state.session(sessionId);
  const req = decode(DataChannelsRequest, await body(request));
  return json(200, { dataChannels: session.dataChannels.update(req.dataChannels) });
}

export async function closeDataChannels(
  state: LocalSfuState,
  request: Request,
  sessionId: string,
  json: Json,
) {
  const session = state.session(sessionId);
  const req = decode(DataChannelsCloseRequest, await body(request));
  return json(200, { dataChannels: session.dataChannels.close(req.dataChannels.map((d) => d.id)) });
}
