import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { fitsChatMessage } from '../core/chat-envelope.js';
import {
  ChatSendError,
  type CallChat,
  type ChatDropNotice,
  type ChatEntry,
  type ChatMessage,
  type ChatSendErrorCode,
} from '../core/chat-types.js';

export interface FakeChatOptions {
  /** The name shown for a participant id (the fake session's roster). */
  readonly nameOf: (participantId: string) => string;
  /** The local participant's id. */
  readonly selfId: () => string;
  /** Wraps each observable, e.g. to count subscriptions. */
  readonly wrap?: <T>(source: () => Observable<T>) => Observable<T>;
}

/**
 * `CallSession.chat` driven by a test or story: `receive()` a message from someone, `drop()` a flood, switch
 * sending off, make the next `send()` fail, and read back what was sent. Sending checks what the real chat
 * checks (empty, over 4 KB, not allowed) and adds the message at once, without batching.
 */
export class FakeChat implements CallChat {
  /** Texts sent through `send()`, oldest first. */
  readonly sent: string[] = [];
  readonly #entries = new BehaviorSubject<readonly ChatEntry[]>([]);
  readonly #canSend = new BehaviorSubject(true);
  readonly #options: FakeChatOptions;
  #refuseNext: ChatSendErrorCode | undefined;
  #ids = 0;

  readonly messages$: Observable<readonly ChatEntry[]>;
  readonly canSend$: Observable<boolean>;

  constructor(options: FakeChatOptions) {
    this.#options = options;
    const wrap = options.wrap ?? ((source) => source());
    this.messages$ = wrap(() => this.#entries);
    this.canSend$ = wrap(() => this.#canSend.pipe(distinctUntilChanged()));
  }

  /** Every entry so far. */
  get entries(): readonly ChatEntry[] {
    return this.#entries.value;
  }

  send(text: string): ChatMessage {
    if (text.trim().length === 0) throw new ChatSendError('empty', 'Type a message first.');
    if (!fitsChatMessage(text)) throw new ChatSendError('too-long', 'Messages can be at most 4 KB long.');
    if (!this.#canSend.value) throw new ChatSendError('forbidden', 'This participant may not send.');
    const refused = this.#refuseNext;
    if (refused) {
      this.#refuseNext = undefined;
      throw new ChatSendError(refused, `refused: ${refused}`);
    }
    this.sent.push(text);
    const self = this.#options.selfId();
    const now = Date.now();
    return this.#add({
      kind: 'message',
      id: this.#nextId(),
      participantId: self,
      name: this.#options.nameOf(self),
      text,
      sentAt: now,
      receivedAt: now,
      own: true,
    });
  }

  // ---- knobs for tests and stories ----

  /** A message from `participantId` arrives (`at`: when, on this page's clock; default now). */
  receive(participantId: string, text: string, at = Date.now()): ChatMessage {
    return this.#add({
      kind: 'message',
      id: this.#nextId(),
      participantId,
      name: this.#options.nameOf(participantId),
      text,
      sentAt: at,
      receivedAt: at,
      own: false,
    });
  }

  /** `count` messages from `participantId` were dropped (a flood); a following drop adds to the same notice. */
  drop(participantId: string, count = 1): ChatDropNotice {
    const list = [...this.#entries.value];
    const last = list.findLast((e) => e.participantId === participantId);
    if (last?.kind === 'dropped') {
      const notice = { ...last, count: last.count + count, receivedAt: Date.now() };
      list[list.lastIndexOf(last)] = notice;
      this.#entries.next(list);
      return notice;
    }
    return this.#add({
      kind: 'dropped',
      id: this.#nextId(),
      participantId,
      name: this.#options.nameOf(participantId),
      count,
      receivedAt: Date.now(),
    });
  }

  /** Whether this participant may send (false: a viewer without `canChat`). */
  setCanSend(canSend: boolean): void {
    this.#canSend.next(canSend);
  }

  /** The next `send()` throws a `ChatSendError` with `code`, e.g. `rate-limited`. */
  refuseNextSend(code: ChatSendErrorCode): void {
    this.#refuseNext = code;
  }

  clear(): void {
    this.#entries.next([]);
  }

  #add<T extends ChatEntry>(entry: T): T {
    this.#entries.next([...this.#entries.value, entry]);
    return entry;
  }

  #nextId(): string {
    return `fake-chat-${++this.#ids}`;
  }
}
