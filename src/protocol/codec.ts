// Turning frames into validated messages and back. Never throws: bad input becomes a typed failure.
import * as v from 'valibot';
import { PresenceErrorCode } from './error-codes.js';
import {
  ClientMessageSchema,
  ServerMessageSchema,
  type ClientMessage,
  type ServerMessage,
} from './schemas.js';
import { PROTOCOL_VERSION } from './version.js';

export type DecodeResult<T> =
  | { readonly ok: true; readonly message: T }
  | {
      readonly ok: false;
      readonly code: typeof PresenceErrorCode.badRequest | typeof PresenceErrorCode.unsupportedVersion;
      readonly reason: string;
    };

function decodeWith<T>(schema: v.GenericSchema<unknown, T>, frame: string): DecodeResult<T> {
  let data: unknown;
  try {
    data = JSON.parse(frame);
  } catch {
    return { ok: false, code: PresenceErrorCode.badRequest, reason: 'frame is not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, code: PresenceErrorCode.badRequest, reason: 'frame is not a JSON object' };
  }
  if ((data as { v?: unknown }).v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      code: PresenceErrorCode.unsupportedVersion,
      reason: `expected protocol version ${PROTOCOL_VERSION}`,
    };
  }
  const result = v.safeParse(schema, data);
  if (result.success) return { ok: true, message: result.output };
  return { ok: false, code: PresenceErrorCode.badRequest, reason: describeIssue(result.issues[0]) };
}

// A short, data-free description: the field path and valibot's expectation, nothing from the input itself.
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  const expected = issue.expected ? `expected ${issue.expected}` : 'invalid value';
  return path ? `${path}: ${expected}` : expected;
}

/** Parses and validates one frame from a client (used by the server). */
export function decodeClientMessage(frame: string): DecodeResult<ClientMessage> {
  return decodeWith(ClientMessageSchema, frame);
}

/** Parses and validates one frame from the server (used by the widget). */
export function decodeServerMessage(frame: string): DecodeResult<ServerMessage> {
  return decodeWith(ServerMessageSchema, frame);
}

/** Serializes a message for the wire. */
export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}
