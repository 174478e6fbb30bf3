// Chat on the SFU's DataChannels: one published `chat-…` channel per participant, announced in presence like
// a track, and a subscription to everyone else's. The sender of a message is the owner of the channel it
// came on, so a name inside a message can never pass for someone else.
import { BehaviorSubject, Observable, distinctUntilChanged, switchMap, type Subscription } from 'rxjs';
import { PROTOCOL_VERSION, type ClientMessage } from '../protocol/index.js';
import { decodeChatEnvelope, encodeChatEnvelope, fitsChatMessage } from './chat-envelope.js';
import { RECEIVE_RATE, RateBucket, SEND_RATE } from './chat-rate.js';
import { afterNegotiation } from './after-negotiation.js';
import { ChatTransport, ChatTransportError } from './chat-transport.js';
import {
  ChatSendError,
  type CallChat,
  type ChatDropNotice,
  type ChatEntry,
  type ChatMessage,
} from './chat-types.js';
import type { RoomState } from './room-state.js';

/** What chat needs from a live call. */
export interface ChatAttachment {
  /** partytracks' `session$`: its PeerConnection and SFU session, anew after each reconnect. */
  readonly session$: Observable<{ peerConnection: RTCPeerConnection; sessionId: string }>;
  readonly room$: Observable<RoomState>;
  /** The proxy prefix (`…/partytracks`) and the call's request headers. */
  readonly prefix: string;
  readonly headers: Headers;
  /** Sends a presence message (the chat channel's announcement). */
  announce(message: ClientMessage): void;
  /** Whether partytracks is negotiating with the SFU right now. */
  busy?(): boolean;
  /** Whether this call will push media: then partytracks' push offer brings SCTP up (see ChatTransport). */
  expectsPush?(): boolean;
  /**
   * Whether the token lets this participant send (canPublish or canChat), when readable: a viewer without
   * canChat then never shows a way to send while its channel is still being refused.
   */
  readonly maySend?: boolean;
}

/** Entries kept; older ones scroll away. */
const MAX_ENTRIES = 500;
/** A failed subscription is tried again after this long, doubling up to the maximum, while its publisher stays. */
const SUBSCRIBE_RETRY_MS = 500;
const MAX_SUBSCRIBE_RETRY_MS = 30_000;
/** Renders are batched: at most one list update per this many ms, however fast messages come. */
const EMIT_INTERVAL_MS = 50;

interface Inbound {
  readonly key: string;
  readonly channel: RTCDataChannel;
}

export class ChatService implements CallChat {
  readonly #entries: ChatEntry[] = [];
  readonly #list = new BehaviorSubject<readonly ChatEntry[]>([]);
  /** False once the SFU refused our channel (no canPublish or canChat); connecting is not a refusal. */
  readonly #canSend = new BehaviorSubject(true);
  readonly #sendBucket = new RateBucket(SEND_RATE.perSecond, SEND_RATE.burst);
  readonly #receiveBuckets = new Map<string, RateBucket>();
  #emitTimer: ReturnType<typeof setTimeout> | undefined;
  #lastEmitAt = -Infinity;
  #room: RoomState | undefined;
  #outbound: RTCDataChannel | undefined;
  #announcement: ClientMessage | undefined;
  #announce: ((message: ClientMessage) => void) | undefined;

  readonly messages$: Observable<readonly ChatEntry[]> = this.#list.asObservable();
  readonly canSend$: Observable<boolean> = this.#canSend.pipe(distinctUntilChanged());

  /** Starts chat on a live call; the returned subscription ends it. */
  attach(call: ChatAttachment): Subscription {
    this.#announce = (message) => call.announce(message);
    this.#canSend.next(call.maySend ?? true); // a new call, perhaps with other rights
    const roomSub = call.room$.subscribe((room) => (this.#room = room));
    const sub = call.session$
      .pipe(switchMap(({ peerConnection, sessionId }) => this.#connect(peerConnection, sessionId, call)))
      .subscribe();
    sub.add(roomSub);
    sub.add(() => {
      this.#outbound = undefined;
      this.#announcement = undefined;
      this.#announce = undefined;
    });
    return sub;
  }

  /** Presence reconnected: say again which channel is ours. */
  reannounce(): void {
    if (this.#announcement) this.#announce?.(this.#announcement);
  }

  send(text: string): ChatMessage {
    if (text.trim().length === 0) throw new ChatSendError('empty', 'Type a message first.');
    if (!fitsChatMessage(text)) throw new ChatSendError('too-long', 'Messages can be at most 4 KB long.');
    const channel = this.#outbound;
    if (!channel || channel.readyState !== 'open') {
      throw new ChatSendError('not-connected', 'Chat is not connected yet.');
    }
    if (!this.#sendBucket.take()) {
      throw new ChatSendError('rate-limited', 'You are sending messages too fast. Wait a moment.');
    }
    const id = crypto.randomUUID();
    const sentAt = Date.now();
    channel.send(encodeChatEnvelope(id, text, sentAt));
    const self = this.#room?.selfId ?? '';
    const message: ChatMessage = {
      kind: 'message',
      id,
      participantId: self,
      name: this.#nameOf(self),
      text,
      sentAt,
      receivedAt: sentAt,
      own: true,
    };
    this.#add(message);
    return message;
  }

  /** Clears the history (a new call). */
  clear(): void {
    this.#entries.length = 0;
    this.#receiveBuckets.clear();
    this.#list.next([]);
  }

  #connect(pc: RTCPeerConnection, sessionId: string, call: ChatAttachment): Observable<never> {
    return new Observable<never>(() => {
      const abort = new AbortController();
      const transport = new ChatTransport(pc, sessionId, {
        prefix: call.prefix,
        headers: call.headers,
        signal: abort.signal,
        busy: () => call.busy?.() ?? false,
        expectsPush: () => call.expectsPush?.() ?? false,
      });
      const inbound = new Map<string, Inbound>();
      let roomSub: Subscription | undefined;
      // One SFU call at a time, in order: subscriptions follow presence as it changes.
      let queue: Promise<unknown> = Promise.resolve();
      const enqueue = (work: () => Promise<unknown>) => (queue = queue.then(work).catch(() => {}));
      // A room change (a breakout move) starts the new room's pulls too: chat's calls follow them.
      const afterPulls = () => afterNegotiation(pc, () => call.busy?.() ?? false, abort.signal);

      let latest: RoomState | undefined;
      let retry: ReturnType<typeof setTimeout> | undefined;
      let retryMs = SUBSCRIBE_RETRY_MS;
      const sync = (room: RoomState) => {
        latest = room;
        const wanted = new Map<string, { sessionId: string; trackName: string }>();
        for (const p of room.publications.values()) {
          if (p.source === 'chat' && p.participantId !== room.selfId) wanted.set(p.participantId, p);
        }
        for (const [participantId, current] of inbound) {
          const want = wanted.get(participantId);
          if (want && `${want.sessionId}/${want.trackName}` === current.key) continue;
          inbound.delete(participantId);
          current.channel.close();
          const id = current.channel.id;
          if (id !== null)
            enqueue(async () => {
              await afterPulls();
              await transport.close([id]);
            });
        }
        for (const [participantId, want] of wanted) {
          const key = `${want.sessionId}/${want.trackName}`;
          if (inbound.has(participantId)) continue;
          const pending: Inbound = { key, channel: placeholder };
          inbound.set(participantId, pending);
          enqueue(async () => {
            await afterPulls();
            if (inbound.get(participantId) !== pending || abort.signal.aborted) return;
            const channel = await transport.subscribe(want.sessionId, want.trackName).catch(() => undefined);
            if (!channel) {
              // Refused for now (e.g. the publisher's SCTP is still coming up): try again shortly.
              inbound.delete(participantId);
              retry ??= setTimeout(() => {
                retry = undefined;
                if (latest && !abort.signal.aborted) sync(latest);
              }, retryMs);
              retryMs = Math.min(retryMs * 2, MAX_SUBSCRIBE_RETRY_MS);
              return;
            }
            if (inbound.get(participantId) !== pending || abort.signal.aborted) return channel.close();
            inbound.set(participantId, { key, channel });
            retryMs = SUBSCRIBE_RETRY_MS;
            channel.onmessage = (event: MessageEvent) => this.#receive(participantId, event.data);
          });
        }
      };

      enqueue(async () => {
        await transport.establish();
        const name = `chat-${crypto.randomUUID()}`;
        try {
          const channel = await transport.publish(name);
          this.#canSend.next(true);
          this.#outbound = channel;
          this.#announcement = {
            v: PROTOCOL_VERSION,
            type: 'publish',
            track: { sessionId, trackName: name, kind: 'data', source: 'chat' },
          };
          this.reannounce();
        } catch (error) {
          // A viewer without canChat still reads; only a refusal is expected here.
          if (!(error instanceof ChatTransportError)) throw error;
          if (error.status === 403) this.#canSend.next(false);
        }
        roomSub = call.room$.subscribe(sync);
      });

      return () => {
        abort.abort();
        clearTimeout(retry);
        roomSub?.unsubscribe();
        for (const { channel } of inbound.values()) channel.close();
        this.#outbound?.close();
        this.#outbound = undefined;
      };
    });
  }

  #receive(participantId: string, data: unknown): void {
    let bucket = this.#receiveBuckets.get(participantId);
    if (!bucket) {
      bucket = new RateBucket(RECEIVE_RATE.perSecond, RECEIVE_RATE.burst);
      this.#receiveBuckets.set(participantId, bucket);
    }
    if (!bucket.take()) return this.#noteDropped(participantId);
    const envelope = decodeChatEnvelope(data);
    if (!envelope) return;
    this.#add({
      kind: 'message',
      id: envelope.id,
      participantId,
      name: this.#nameOf(participantId),
      text: envelope.text,
      sentAt: envelope.sentAt,
      receivedAt: Date.now(),
      own: false,
    });
  }

  /** One notice per run of dropped messages from a sender, counting up while the flood lasts. */
  #noteDropped(participantId: string): void {
    const last = [...this.#entries].reverse().find((e) => e.participantId === participantId);
    if (last?.kind === 'dropped') {
      const index = this.#entries.lastIndexOf(last);
      this.#entries[index] = { ...last, count: last.count + 1, receivedAt: Date.now() };
      return this.#scheduleEmit();
    }
    const notice: ChatDropNotice = {
      kind: 'dropped',
      id: `dropped-${crypto.randomUUID()}`,
      participantId,
      name: this.#nameOf(participantId),
      count: 1,
      receivedAt: Date.now(),
    };
    this.#add(notice);
  }

  #add(entry: ChatEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
    this.#scheduleEmit();
  }

  /** A lone message shows at once; during a burst, the list updates at most every EMIT_INTERVAL_MS. */
  #scheduleEmit(): void {
    if (this.#emitTimer !== undefined) return;
    const wait = this.#lastEmitAt + EMIT_INTERVAL_MS - performance.now();
    if (wait <= 0) return this.#emit();
    this.#emitTimer = setTimeout(() => this.#emit(), wait);
  }

  #emit(): void {
    this.#emitTimer = undefined;
    this.#lastEmitAt = performance.now();
    this.#list.next([...this.#entries]);
  }

  #nameOf(participantId: string): string {
    return this.#room?.participants.get(participantId)?.name ?? participantId;
  }
}

/** Stands in for a channel while its subscription is on its way. */
const placeholder = { close() {}, id: null } as unknown as RTCDataChannel;
