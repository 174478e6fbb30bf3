// Bench-only: what the local SFU running in this process does for new video pulls, stamped with `Date.now()`,
// by wrapping methods of its Forwarder and Publication prototypes (nothing in server/sfu changes). Each pulled
// video has a forwarder: created by `tracks/new`, held until the browser's answer arrives (`renegotiate`), then
// started on a keyframe (kept from before, or asked of the publisher with a PLI).
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { Forwarder } from '../../server/sfu/forwarder.js';
import { Publication, type IncomingPacket, type PacketSink } from '../../server/sfu/publication.js';
import { Session } from '../../server/sfu/session.js';

export interface SfuEvent {
  /** `Date.now()`. */
  readonly at: number;
  readonly what: string;
  /** The published track's session and name (a pull's events), or the subscriber's session alone. */
  readonly sessionId: string;
  readonly trackName?: string;
}

export interface SfuTimeline {
  readonly events: SfuEvent[];
  /** Puts the original methods back. */
  dispose(): void;
}

type Method = (this: unknown, ...args: never[]) => unknown;

export function recordSfuTimeline(): SfuTimeline {
  const events: SfuEvent[] = [];
  const restore: (() => void)[] = [];
  const started = new WeakSet<Forwarder>();
  const sawKeyframe = new WeakSet<Forwarder>();
  const log = (what: string, publication: Publication) => {
    if (publication.kind !== 'video') return;
    const { sessionId, trackName } = publication;
    events.push({ at: Date.now(), what, sessionId, trackName });
  };

  /** Replaces `name` on `proto` with `wrap(original)`, to be put back on dispose. */
  const patch = (proto: object, name: string, wrap: (original: Method) => Method) => {
    const target = proto as Record<string, Method>;
    const original = target[name];
    if (typeof original !== 'function') throw new Error(`sfu-timeline: no method ${name}`);
    target[name] = wrap(original);
    restore.push(() => (target[name] = original));
  };

  // The subscriber's requests, as the SFU gets them (after the call server's proxy) and answers them.
  for (const [name, what] of [
    ['subscribe', 'tracks/new'],
    ['renegotiate', 'renegotiate'],
  ] as const) {
    patch(
      Session.prototype,
      name,
      (original) =>
        async function (this: unknown, ...args: never[]) {
          const { id } = this as Session;
          events.push({ at: Date.now(), what: `${what} received`, sessionId: id });
          const result = await original.apply(this, args);
          events.push({ at: Date.now(), what: `${what} answered`, sessionId: id });
          return result;
        },
    );
  }
  patch(
    Publication.prototype,
    'addSink',
    (original) =>
      function (this: unknown, ...args: never[]) {
        const [sink] = args as unknown as [PacketSink];
        if (sink instanceof Forwarder) log('forwarder created', this as Publication);
        return original.apply(this, args);
      },
  );
  patch(
    Publication.prototype,
    'requestKeyframe',
    (original) =>
      function (this: unknown, ...args: never[]) {
        const publication = this as Publication;
        const [rid] = args as unknown as [string];
        const before = publication.layers.get(rid)?.lastPliAt;
        const result = original.apply(this, args);
        if (publication.layers.get(rid)?.lastPliAt !== before) log('PLI sent to publisher', publication);
        return result;
      },
  );
  patch(
    Forwarder.prototype,
    'release',
    (original) =>
      function (this: unknown, ...args: never[]) {
        const forwarder = this as Forwarder;
        const { held } = this as { held?: boolean };
        if (held) log('forwarder released (answer)', forwarder.publication);
        return original.apply(this, args);
      },
  );
  patch(
    Forwarder.prototype,
    'onPacket',
    (original) =>
      function (this: unknown, ...args: never[]) {
        const forwarder = this as Forwarder;
        const [packet] = args as unknown as [IncomingPacket];
        if (packet.keyframe && !forwarder.stopped && !sawKeyframe.has(forwarder)) {
          sawKeyframe.add(forwarder);
          log('keyframe from publisher', forwarder.publication);
        }
        return original.apply(this, args);
      },
  );
  patch(
    Forwarder.prototype,
    'send',
    (original) =>
      function (this: unknown, ...args: never[]) {
        const forwarder = this as Forwarder;
        if (!started.has(forwarder)) {
          started.add(forwarder);
          log('first packet forwarded', forwarder.publication);
        }
        return original.apply(this, args);
      },
  );

  // The call server getting the page's request (its headers parsed), before the proxy's checks, and its answer
  // leaving; the same for the SFU's own HTTP server behind the proxy.
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    const url = event === 'request' ? (args[0] as IncomingMessage).url : undefined;
    const proxied =
      url &&
      /\/partytracks\/sessions\/([^/]+)\/(tracks\/new|tracks\/close|tracks\/update|renegotiate|datachannels\/[a-z]+)/.exec(
        url,
      );
    const direct =
      url &&
      /\/apps\/[^/]+\/sessions\/([^/]+)\/(tracks\/new|tracks\/close|tracks\/update|renegotiate|datachannels\/[a-z]+)/.exec(
        url,
      );
    const what = proxied || direct;
    if (what) {
      const [, sessionId, call] = what;
      const who = proxied ? 'call server' : 'SFU HTTP';
      events.push({ at: Date.now(), what: `${who} got ${call} on`, sessionId });
      const response = args[1] as ServerResponse;
      response.once('finish', () =>
        events.push({ at: Date.now(), what: `${who} sent ${call} answer`, sessionId }),
      );
    }
    return (emit as (this: Server, ...all: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
  restore.push(() => (Server.prototype.emit = emit));

  // The call server's proxy calling the SFU (partytracks' server side uses the global fetch): what the proxy
  // took before it, and what the HTTP hop to the SFU takes after it.
  const fetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const what =
      /\/v1\/apps\/[^/]+\/sessions\/([^/]+)\/(tracks\/new|tracks\/close|tracks\/update|renegotiate|datachannels\/[a-z]+)/.exec(
        url,
      );
    if (!what) return fetch(input, init);
    events.push({ at: Date.now(), what: `proxy sent ${what[2]} on`, sessionId: what[1] });
    const response = await fetch(input, init);
    events.push({ at: Date.now(), what: `proxy got ${what[2]} answer on`, sessionId: what[1] });
    return response;
  };
  restore.push(() => (globalThis.fetch = fetch));

  // The bench process's event loop held up (the call server, the SFU and its media share it): each late tick
  // of a 10 ms timer, stamped at the start of the hold-up. Not tied to a session: it shows in the dump only.
  const TICK_MS = 10;
  let last = Date.now();
  const ticker = setInterval(() => {
    const now = Date.now();
    if (now - last > TICK_MS + 40) {
      events.push({ at: last + TICK_MS, what: `event loop held ${now - last - TICK_MS} ms`, sessionId: '-' });
    }
    last = now;
  }, TICK_MS);
  ticker.unref();
  restore.push(() => clearInterval(ticker));

  return {
    events,
    dispose: () => {
      for (const undo of restore.splice(0).reverse()) undo();
    },
  };
}
