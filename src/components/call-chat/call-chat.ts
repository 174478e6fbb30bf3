import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import { ChatSendError, type ChatEntry, type ChatMessage } from '../../core/chat-types.js';
import type { CallSessionLike } from '../../core/types.js';
import { CallChatMessageEvent } from '../../events/call-chat-message.js';
import { CallChatSendRequestEvent } from '../../events/call-chat-send-request.js';
import { BaseElement } from '../../internal/base-element.js';
import { linkify } from './chat-text.js';
import { styles } from './call-chat.styles.js';

/** The words `<call-chat>` shows; set `strings` to translate them. */
export const chatStrings = {
  heading: 'Chat',
  hint: 'Messages are visible to people in the call. People who join later see only what is sent after they join.',
  empty: 'No messages yet.',
  placeholder: 'Message everyone',
  send: 'Send',
  you: 'You',
  dropped: (count: number, name: string) =>
    `${count} message${count === 1 ? '' : 's'} from ${name} not shown: they were sent too fast.`,
  cannotSend: 'You can read the chat, but your invitation does not let you send messages.',
};
export type ChatStrings = typeof chatStrings;

/** Messages from one sender within this long of each other share one header. */
const GROUP_WITHIN_MS = 5 * 60_000;

type Group =
  | { readonly kind: 'messages'; readonly first: ChatMessage; readonly messages: ChatMessage[] }
  | { readonly kind: 'dropped'; readonly entry: Extract<ChatEntry, { kind: 'dropped' }> };

function grouped(entries: readonly ChatEntry[]): Group[] {
  const groups: Group[] = [];
  for (const entry of entries) {
    if (entry.kind === 'dropped') {
      groups.push({ kind: 'dropped', entry });
      continue;
    }
    const last = groups.at(-1);
    const previous = last?.kind === 'messages' ? last.messages.at(-1) : undefined;
    if (
      last?.kind === 'messages' &&
      previous &&
      previous.participantId === entry.participantId &&
      entry.receivedAt - previous.receivedAt < GROUP_WITHIN_MS
    ) {
      last.messages.push(entry);
    } else {
      groups.push({ kind: 'messages', first: entry, messages: [entry] });
    }
  }
  return groups;
}

/**
 * The call's chat: the messages since this page joined, grouped by sender with local times, and a composer.
 * Text only: links (http and https) become clickable, nothing in a message is ever read as HTML. Screen
 * readers hear new messages politely (the list is a `log`), and right-to-left text runs right to left.
 * Works inside a `<call-room>` (it takes the room's session) or anywhere with `.session`.
 *
 * @summary Chat messages and a composer, over the SFU's DataChannels.
 * @status experimental
 * @since 0.1.0
 *
 * @fires call-chat-send-request - The user is about to send `detail.text`; `preventDefault()` stops it.
 * @fires call-chat-message - A message was sent from this element (`detail.message.own`).
 *
 * @csspart hint - "Messages are visible to people in the call…".
 * @csspart list - The message list (a polite live region).
 * @csspart group - Consecutive messages of one sender.
 * @csspart sender - The sender's name in a group header.
 * @csspart time - A group's local time.
 * @csspart message - One message's text.
 * @csspart link - A link inside a message.
 * @csspart notice - "N messages from X not shown": a flood was dropped.
 * @csspart empty - Shown while there are no messages.
 * @csspart composer - The form with the text field and the send button.
 * @csspart input - The text field.
 * @csspart send - The send button.
 * @csspart error - Why the last message was not sent.
 *
 * @cssprop --call-chat-background - Behind the chat. Default: var(--call-color-surface, #ffffff).
 * @cssprop --call-chat-color - Text colour. Default: var(--call-color-on-surface, #1f1f1f).
 * @cssprop --call-chat-muted-color - Times, hints and notices. Default: var(--call-color-on-surface-muted, #5f6368).
 * @cssprop --call-chat-own-background - Behind this page's own messages. Default: var(--call-color-accent-subtle, #e8f0fe).
 * @cssprop --call-chat-gap - Spacing. Default: var(--call-space-s, 8px).
 * @cssprop --call-chat-error-color - The send error. Default: var(--call-color-danger, #c5221f).
 *
 * @cssstate empty - No messages yet.
 * @cssstate read-only - This participant may read but not send.
 */
export class CallChat extends BaseElement {
  static override styles = [BaseElement.styles, styles];

  // PUBLIC API
  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;
  /** Replaces some or all of the words shown. */
  @property({ attribute: false }) strings: Partial<ChatStrings> = {};

  // INTERNAL STATE
  @state() private error = '';
  @query('textarea') private input?: HTMLTextAreaElement;
  readonly #session = new SessionConsumer(this);
  readonly #entries = new ObservableController<readonly ChatEntry[]>(
    this,
    () => this.#session.value?.chat?.messages$,
  );
  readonly #canSend = new ObservableController<boolean>(this, () => this.#session.value?.chat?.canSend$);
  readonly #time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

  // LIFECYCLE
  protected override updated(): void {
    const entries = this.#entries.value ?? [];
    this.setCustomState('empty', entries.length === 0);
    this.setCustomState('read-only', this.#canSend.value === false && !!this.#session.value?.chat);
    const list = this.renderRoot.querySelector('[part="list"]');
    // Follow new messages unless the user scrolled up to read.
    if (list && list.scrollHeight - list.scrollTop - list.clientHeight < 80)
      list.scrollTop = list.scrollHeight;
  }

  // HANDLERS
  #send(): void {
    const text = this.input?.value ?? '';
    const chat = this.#session.value?.chat;
    if (!chat || text.trim() === '') return;
    const request = new CallChatSendRequestEvent({ text });
    this.dispatchEvent(request);
    if (request.defaultPrevented) return;
    try {
      const message = chat.send(text);
      if (this.input) this.input.value = '';
      this.error = '';
      this.dispatchEvent(new CallChatMessageEvent({ message }));
    } catch (error) {
      this.error = error instanceof ChatSendError ? error.message : 'The message could not be sent.';
    }
  }

  #handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#send();
  };

  #handleSubmit = (event: Event): void => {
    event.preventDefault();
    this.#send();
  };

  // RENDERING
  protected override render() {
    const t = { ...chatStrings, ...this.strings };
    const entries = this.#entries.value ?? [];
    const readOnly = this.#canSend.value === false;
    return html`
      <p part="hint">${t.hint}</p>
      <ol part="list" role="log" aria-live="polite" aria-label=${t.heading}>
        ${entries.length === 0 ? html`<li part="empty">${t.empty}</li>` : nothing}
        ${grouped(entries).map((group) => this.renderGroup(group, t))}
      </ol>
      ${this.error ? html`<p part="error" role="alert">${this.error}</p>` : nothing}
      ${
        readOnly
          ? html`<p part="hint">${t.cannotSend}</p>`
          : html`<form part="composer" @submit=${this.#handleSubmit}>
              <textarea
                part="input"
                rows="2"
                dir="auto"
                aria-label=${t.placeholder}
                placeholder=${t.placeholder}
                @keydown=${this.#handleKeydown}
              ></textarea>
              <button part="send" type="submit">${t.send}</button>
            </form>`
      }
    `;
  }

  private renderGroup(group: Group, t: ChatStrings) {
    if (group.kind === 'dropped') {
      return html`<li part="notice">${t.dropped(group.entry.count, group.entry.name)}</li>`;
    }
    const { first } = group;
    const at = new Date(first.sentAt);
    return html`<li part="group" class=${first.own ? 'own' : ''}>
      <span
        ><span part="sender" dir="auto">${first.own ? t.you : first.name}</span
        ><time part="time" datetime=${at.toISOString()}>${this.#time.format(at)}</time></span
      >
      ${group.messages.map((m) => html`<div part="message" dir="auto">${linkify(m.text)}</div>`)}
    </li>`;
  }
}
