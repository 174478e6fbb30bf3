// Follows the session's chat for <call-room>: fires `call-chat-message` for each message from someone else and
// counts those that arrive while the chat is closed. The room re-renders only when that count changes, not on
// every message (the open chat renders messages itself).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
import type { CallChat, ChatEntry } from '../../core/chat-types.js';
import { CallChatMessageEvent } from '../../events/call-chat-message.js';

export class ChatUnreadController implements ReactiveController {
  /** Messages from others that arrived while the chat was closed. */
  unread = 0;
  readonly #seen = new Set<string>();
  #chat: CallChat | undefined;
  #subscription: Subscription | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    private readonly chat: () => CallChat | undefined,
    private readonly isOpen: () => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow(this.chat());
  }

  hostUpdate(): void {
    const chat = this.chat();
    if (chat !== this.#chat) this.#follow(chat);
    if (this.isOpen()) this.unread = 0;
  }

  hostDisconnected(): void {
    this.#follow(undefined);
  }

  #follow(chat: CallChat | undefined): void {
    this.#subscription?.unsubscribe();
    this.#chat = chat;
    this.#subscription = chat?.messages$.subscribe((entries) => this.#receive(entries));
  }

  #receive(entries: readonly ChatEntry[]): void {
    const before = this.unread;
    // New messages come at the end: start after the last one already seen, not from the oldest each time.
    let start = entries.length;
    while (start > 0 && !this.#seen.has(entries[start - 1]!.id)) start--;
    for (const entry of entries.slice(start)) {
      if (entry.kind !== 'message' || entry.own || this.#seen.has(entry.id)) continue;
      this.#seen.add(entry.id);
      if (!this.isOpen()) this.unread++;
      this.host.dispatchEvent(new CallChatMessageEvent({ message: entry }));
    }
    if (this.unread !== before) this.host.requestUpdate();
  }
}
