// A werift 0.25 patch that takes a round trip out of every DTLS handshake the SFU serves. werift's DTLS server
// answers a ClientHello without a cookie with a HelloVerifyRequest and waits for the ClientHello to come back
// with it (RFC 6347 §4.2.1) before it sends its own flight: one more trip through the browser's network
// thread and the SFU's event loop, 3-30 ms on a busy machine, on the path to every first frame. The cookie
// only proves that the client owns its address, which ICE already did: DTLS reaches werift only from an
// address that passed an authenticated ICE check (werift-udp-gate.ts). Chrome's own DTLS server (BoringSSL)
// sends no HelloVerifyRequest either, so the direct path never paid it.
//
// werift is left to do the work itself: its cookie step runs (choosing the cipher, curve and SRTP profile)
// with the HelloVerifyRequest dropped, then the same ClientHello, carrying the cookie, takes werift into its
// ServerHello flight. The transcript keeps the ClientHello as the browser sent it, and the ServerHello is
// numbered 0, as the first server message of a handshake without HelloVerifyRequest must be (RFC 6347
// §4.2.2).
import { DtlsServer, RTCDtlsTransport } from 'werift';
import { requireMethod } from './werift-guard.js';

const CLIENT_HELLO = 1;
/** client_version (2) + random (32): the session id's length byte follows. */
const SESSION_ID_AT = 34;

interface HandshakeLike {
  msg_type: number;
  length: number;
  message_seq: number;
  fragment_offset: number;
  fragment_length: number;
  fragment: Buffer;
}
interface DtlsContextLike {
  cookie?: Buffer;
  flight: number;
  sequenceNumber: number;
  bufferHandshakeCache(handshakes: HandshakeLike[], isLocal: boolean, flight: number): void;
}
interface DtlsServerLike {
  connected: boolean;
  dtls: DtlsContextLike;
  transport: { send: (...args: unknown[]) => unknown };
  onHandleHandshakes: (assembled: HandshakeLike[]) => Promise<void>;
}

/** Where a whole ClientHello's cookie length byte is, or undefined if the message is cut short or fragmented. */
function cookieLengthAt(hello: HandshakeLike): number | undefined {
  const { fragment } = hello;
  if (hello.fragment_offset !== 0 || hello.fragment_length !== hello.length) return undefined;
  if (fragment.length <= SESSION_ID_AT) return undefined;
  const at = SESSION_ID_AT + 1 + fragment[SESSION_ID_AT]!;
  return at < fragment.length ? at : undefined;
}

/** The same ClientHello with `cookie` in its (empty) cookie field. */
function withCookie(hello: HandshakeLike, at: number, cookie: Buffer): HandshakeLike {
  const fragment = Buffer.concat([
    hello.fragment.subarray(0, at),
    Buffer.from([cookie.length]),
    cookie,
    hello.fragment.subarray(at + 1),
  ]);
  const copy = Object.create(Object.getPrototypeOf(hello) as object) as HandshakeLike;
  return Object.assign(copy, hello, { fragment, length: fragment.length, fragment_length: fragment.length });
}

/**
 * Numbers the server's messages of this handshake from 0: werift sets 1 when it starts its ServerHello flight,
 * counting the HelloVerifyRequest that was never sent.
 */
function numberFromZero(dtls: DtlsContextLike): void {
  let value = dtls.sequenceNumber;
  let first = true;
  Object.defineProperty(dtls, 'sequenceNumber', {
    configurable: true,
    enumerable: true,
    get: () => value,
    set: (next: number) => {
      value = first && next === 1 ? 0 : next;
      first = false;
    },
  });
}

/** Makes one DTLS server answer a cookieless ClientHello with its ServerHello flight at once. */
function skipHelloVerify(server: DtlsServerLike): void {
  const handle = server.onHandleHandshakes;
  /** The ClientHello answered without a cookie, per DTLS context (a renegotiation makes a new one). */
  const answered = new WeakMap<DtlsContextLike, HandshakeLike>();
  server.onHandleHandshakes = (assembled) => {
    const hello = assembled.find((h) => h.msg_type === CLIENT_HELLO);
    const at = hello && cookieLengthAt(hello);
    if (!hello || at === undefined || hello.fragment[at] !== 0) return handle(assembled);
    const others = assembled.filter((h) => h !== hello);
    const earlier = answered.get(server.dtls);
    if (earlier && !server.connected) {
      // The browser sent its ClientHello again: werift resends its flight for the one with the cookie.
      const cookie = server.dtls.cookie;
      return cookie ? handle([withCookie(hello, at, cookie), ...others]) : handle(assembled);
    }
    // werift's cookie step, synchronous up to the send, which is dropped.
    const send = server.transport.send;
    server.transport.send = () => undefined;
    let step: Promise<void>;
    try {
      step = handle([hello]);
    } finally {
      server.transport.send = send;
    }
    const dtls = server.dtls; // a new context if the ClientHello renegotiated
    const cookie = dtls.cookie;
    if (dtls.flight !== 2 || !cookie) return step; // werift did not take its cookie step: leave it be
    const echoed = withCookie(hello, at, cookie);
    answered.set(dtls, hello);
    const buffer = dtls.bufferHandshakeCache.bind(dtls);
    dtls.bufferHandshakeCache = (handshakes, isLocal, flight) =>
      buffer(
        handshakes.map((h) => (h === echoed ? hello : h)),
        isLocal,
        flight,
      );
    numberFromZero(dtls);
    return Promise.all([step, handle([echoed, ...others])]).then(() => undefined);
  };
}

/**
 * Every DTLS server werift creates (synchronously, in `RTCDtlsTransport.start()`) answers without a
 * HelloVerifyRequest. Apply before werift-early-dtls.ts, whose replay of early records must reach it.
 */
export function answerDtlsWithoutCookie(): void {
  const proto = RTCDtlsTransport.prototype as unknown as { dtls?: unknown; start(): Promise<void> };
  requireMethod(proto, 'start', 'RTCDtlsTransport');
  const start = proto.start;
  proto.start = function (this: { dtls?: unknown }) {
    const started = start.call(this);
    if (this.dtls instanceof DtlsServer) skipHelloVerify(this.dtls as unknown as DtlsServerLike);
    return started;
  };
}
