// What a session's UDP socket accepts, patched into werift 0.25's STUN protocol (reliability finding 2).
// werift hands every datagram that is not STUN to DTLS and SRTP whatever address sent it, and its ICE agent
// acts on Binding requests without checking MESSAGE-INTEGRITY. So anyone who reached a session's port could
// end it (a DTLS record of an unknown content type counts as an alert) or, with one forged USE-CANDIDATE
// check, have its media sent to them. Here, for the SFU's ICE-lite agents:
// - a STUN request (an ICE check) is acted on (answered, paired, nominated) only with a MESSAGE-INTEGRITY
//   made with our ice-pwd and a USERNAME that starts with our ufrag; anything else is dropped and counted;
// - DTLS and SRTP get only datagrams from addresses that sent such a check: the selected pair's, or the
//   browser's new transport while it nominates it (README, "Closing the BUNDLE-tag track"). Anything else
//   is dropped and counted.
// A full ICE agent (the synthetic test peers share this process) also learns addresses from its own checks,
// so it is left alone. The patch also carries the tests' media blackhole (drop a session's UDP both ways).
import { Connection, parseMessage, StunProtocol, type RTCIceTransport } from 'werift';
import { requireMethod } from './werift-guard.js';

/** STUN message class of a request (a Binding request is an ICE check). */
const REQUEST = 0x0000;
/** Sources remembered per socket: the browser's transports over a session, not an attacker's. */
const MAX_VERIFIED_SOURCES = 8;

/** What the gate dropped on one ICE connection. */
export interface UdpGateCounts {
  /** Datagrams (DTLS, SRTP or anything not STUN) from an address that never passed an ICE check. */
  strayDatagrams: number;
  /** STUN requests (ICE checks) without a valid MESSAGE-INTEGRITY or with a USERNAME that is not ours. */
  unauthenticatedChecks: number;
}

type Address = [string, number];

interface ConnectionInternals {
  iceLite: boolean;
  localUsername: string;
  localPassword: string;
  userHistory: Record<string, string>;
  ensureProtocol(protocol: ProtocolInternals): void;
}
interface ProtocolInternals {
  datagramReceived(data: Buffer, addr: Address): void;
  sendData(data: Buffer, addr: Address): Promise<void>;
  sendStun(message: unknown, addr: Address): Promise<void>;
}

const ownerOf = new WeakMap<object, ConnectionInternals>();
const verifiedSources = new WeakMap<object, Set<string>>();
const counts = new WeakMap<object, UdpGateCounts>();
const blackholedUntil = new WeakMap<object, number>();

const sourceKey = ([host, port]: Address) => `${host}:${port}`;
/** The last source accepted per socket: nearly every datagram comes from it, so no key is built for it. */
const lastAccepted = new WeakMap<object, Address>();

function isVerified(protocol: object, verified: Set<string> | undefined, addr: Address): boolean {
  const last = lastAccepted.get(protocol);
  if (last && last[0] === addr[0] && last[1] === addr[1]) return true;
  if (!verified?.has(sourceKey(addr))) return false;
  lastAccepted.set(protocol, addr);
  return true;
}

function countsOf(connection: object): UdpGateCounts {
  let c = counts.get(connection);
  if (!c) counts.set(connection, (c = { strayDatagrams: 0, unauthenticatedChecks: 0 }));
  return c;
}

function isBlackholed(connection: object | undefined): boolean {
  const until = connection && blackholedUntil.get(connection);
  return until !== undefined && Date.now() < until;
}

/** The password of the ufrag this check is addressed to, if the USERNAME names one of ours. */
function passwordFor(connection: ConnectionInternals, username: unknown): string | undefined {
  if (typeof username !== 'string') return undefined;
  const ufrag = username.split(':')[0];
  if (ufrag === connection.localUsername) return connection.localPassword;
  return Object.hasOwn(connection.userHistory, ufrag) ? connection.userHistory[ufrag] : undefined;
}

/** Patches werift's STUN protocol once (applyWeriftPatches calls it). */
export function gateUdpSources(): void {
  const connectionProto = Connection.prototype as unknown as ConnectionInternals;
  const protocolProto = StunProtocol.prototype as unknown as ProtocolInternals;
  requireMethod(connectionProto, 'ensureProtocol', 'Connection');
  for (const name of ['datagramReceived', 'sendData', 'sendStun']) {
    requireMethod(protocolProto, name, 'StunProtocol');
  }

  const ensureProtocol = connectionProto.ensureProtocol;
  connectionProto.ensureProtocol = function (this: ConnectionInternals, protocol) {
    ownerOf.set(protocol, this);
    ensureProtocol.call(this, protocol);
  };

  const datagramReceived = protocolProto.datagramReceived;
  protocolProto.datagramReceived = function (this: ProtocolInternals, data, addr) {
    const connection = ownerOf.get(this);
    if (!connection?.iceLite) return datagramReceived.call(this, data, addr);
    if (isBlackholed(connection)) return;
    let verified = verifiedSources.get(this);
    const message = parseMessage(data);
    if (message?.messageClass === REQUEST) {
      const password = passwordFor(connection, message.getAttributeValue('USERNAME'));
      if (!password || !parseMessage(data, Buffer.from(password, 'utf8'))) {
        countsOf(connection).unauthenticatedChecks++;
        return;
      }
      if (!verified) verifiedSources.set(this, (verified = new Set()));
      const key = sourceKey(addr);
      verified.delete(key); // re-inserted as the newest
      verified.add(key);
      if (verified.size > MAX_VERIFIED_SOURCES) {
        verified.delete(verified.values().next().value!);
        lastAccepted.delete(this);
      }
    } else if (!message && !isVerified(this, verified, addr)) {
      countsOf(connection).strayDatagrams++;
      return;
    }
    // STUN responses and indications go on: werift matches responses to its own transactions by id and key.
    datagramReceived.call(this, data, addr);
  };

  for (const name of ['sendData', 'sendStun'] as const) {
    const send = protocolProto[name] as (this: ProtocolInternals, ...args: unknown[]) => Promise<void>;
    (protocolProto as unknown as Record<string, unknown>)[name] = function (
      this: ProtocolInternals,
      ...args: unknown[]
    ) {
      if (isBlackholed(ownerOf.get(this))) return Promise.resolve();
      return send.apply(this, args);
    };
  }
}

/** What the gate dropped on `transport`'s ICE connection so far. */
export function udpGateCounts(transport: RTCIceTransport): UdpGateCounts {
  return { ...countsOf(transport.connection) };
}

/**
 * For tests: drops every datagram `transport` receives or sends until `until` (epoch ms), as a network
 * that loses a participant would. Nothing runs meanwhile: the deadline is checked per datagram.
 */
export function blackholeUntil(transport: RTCIceTransport, until: number): void {
  blackholedUntil.set(transport.connection, until);
}
