import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { ChatSendError, type ChatEntry, type ChatSendErrorCode } from '../../core/chat-types.js';
import type { CallSessionLike } from '../../core/types.js';
import { CallChatMessageEvent } from '../../events/call-chat-message.js';
import { CallChatSendRequestEvent } from '../../events/call-chat-send-request.js';
import { BaseElement } from '../../internal/base-element.js';
import { tokenStyles } from '../../styles/tokens.js';
import type { Translation } from '../../translations/en.js';
import { ChatLog, type ChatLogWords } from './chat-log.js';
import { styles } from './call-chat.styles.js';

/** What the user is told when `send()` refuses a message, by `ChatSendError.code`. */
const SEND_ERRORS: Record<ChatSendErrorCode, keyof Translation> = {
  empty: 'chatErrorEmpty',
  'too-long': 'chatErrorTooLong',
  'rate-limited': 'chatErrorRateLimited',
  'not-connected': 'chatErrorNotConnected',
  forbidden: 'chatErrorForbidden',
};

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
 * @csspart list - The scrolling message list (a polite live region).
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
 * @cssprop --call-chat-background - Behind the chat. Default: var(--call-color-surface), light or dark.
 * @cssprop --call-chat-color - Text colour. Default: var(--call-color-on-surface), light or dark.
 * @cssprop --call-chat-muted-color - Times, hints and notices. Default: var(--call-color-on-surface-muted), light or dark.
 * @cssprop --call-chat-own-background - Behind this page's own messages. Default: var(--call-color-accent-subtle, #e8f0fe; #394457 dark).
 * @cssprop --call-chat-gap - Spacing. Default: var(--call-space-s, 8px).
 * @cssprop --call-chat-error-color - The send error. Default: var(--call-color-danger, #c5221f).
 *
 * @cssstate empty - No messages yet.
 * @cssstate read-only - This participant may read but not send.
 */
export class CallChat extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, styles];

  // PUBLIC API
  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;
  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  // INTERNAL STATE
  /** Why the last message was not sent. */
  @state() private error?: keyof Translation;
  @query('textarea') private input?: HTMLTextAreaElement;
  readonly #session = new SessionConsumer(this);
  readonly #entries = new ObservableController<readonly ChatEntry[]>(
    this,
    () => this.#session.value?.chat?.messages$,
    undefined,
    (entries) => this.#showEntries(entries),
  );
  readonly #canSend = new ObservableController<boolean>(this, () => this.#session.value?.chat?.canSend$);
  readonly #t = new LocalizeController(this, () => this.strings);
  /** Time formats by language: made once each (a first `Intl.DateTimeFormat` costs a few ms). */
  readonly #timeFormats = new Map<string, Intl.DateTimeFormat>();
  /** The messages in the list's `<ol>`, kept by hand (see ChatLog); made at the first render. */
  #log: ChatLog | undefined;
  /** Whether the last render had no messages (the empty text shows instead). */
  #empty = true;
  /** Follow new messages: the user has not scrolled up to read. */
  #followLatest = true;
  /** Where this element last scrolled the list to: a scroll event there is its own, not the user's. */
  #scrolledTo = -1;
  #followPending = false;

  // LIFECYCLE
  protected override updated(): void {
    const entries = this.#entries.value ?? [];
    this.#empty = entries.length === 0;
    this.setCustomState('empty', this.#empty);
    this.setCustomState('read-only', this.#canSend.value === false && !!this.#session.value?.chat);
    // Anything that re-renders the element may have changed its words (language, strings): show all again.
    const words = this.#words();
    const ol = this.renderRoot.querySelector('ol');
    if (ol) (this.#log ??= new ChatLog(ol, words)).rebuild(entries, words);
    this.#follow();
  }

  /** New messages go straight into the list; a render only when the list turns empty or stops being so. */
  #showEntries(entries: readonly ChatEntry[]): boolean {
    if (!this.#log || this.#empty !== (entries.length === 0)) return true;
    this.#log.show(entries);
    this.#follow();
    return false;
  }

  /** Scrolls to the latest in the next frame, with the layout the browser does anyway (now would force one). */
  #follow(): void {
    if (this.#followPending) return;
    this.#followPending = true;
    requestAnimationFrame(() => {
      this.#followPending = false;
      const list = this.#list();
      if (!list || !this.#followLatest) return;
      list.scrollTop = list.scrollHeight;
      this.#scrolledTo = list.scrollTop;
    });
  }

  #words(): ChatLogWords {
    const t = this.#t;
    return {
      you: t.term('chatYou'),
      dropped: (count, name) => t.term(count === 1 ? 'chatDroppedOne' : 'chatDroppedMany', count, name),
      time: (at) => this.#timeFormat().format(at),
    };
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
      this.error = undefined;
      this.dispatchEvent(new CallChatMessageEvent({ message }));
    } catch (error) {
      this.error = error instanceof ChatSendError ? SEND_ERRORS[error.code] : 'chatErrorFailed';
    }
  }

  /** Measured when the user scrolls, not when a message comes: reading the layout then would force one. */
  #handleScroll = (): void => {
    const list = this.#list();
    if (!list) return;
    this.#followLatest =
      list.scrollTop === this.#scrolledTo || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  };

  #handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#send();
  };

  /** Nothing in the composer submits it (see #handleSendClick); if something does, it sends, never navigates. */
  #handleSubmit = (event: Event): void => {
    event.preventDefault();
    this.#send();
  };

  /**
   * Send is a plain button rather than a submit button: a form submission makes Chromium lay the whole page
   * out first (its form-filling hooks), about 1 ms before the message can leave (bench/README.md, chat).
   */
  #handleSendClick = (): void => {
    this.#send();
  };

  // RENDERING
  protected override render() {
    const entries = this.#entries.value ?? [];
    const readOnly = this.#canSend.value === false;
    return html`
      <p part="hint">${this.#t.term('chatHint')}</p>
      <div
        part="list"
        role="log"
        aria-live="polite"
        aria-label=${this.#t.term('chat')}
        @scroll=${this.#handleScroll}
      >
        ${entries.length === 0 ? html`<p part="empty">${this.#t.term('chatEmpty')}</p>` : nothing}
        <ol></ol>
      </div>
      ${this.error ? html`<p part="error" role="alert">${this.#t.term(this.error)}</p>` : nothing}
      ${
        readOnly
          ? html`<p part="hint">${this.#t.term('chatCannotSend')}</p>`
          : html`<form part="composer" @submit=${this.#handleSubmit}>
              <textarea
                part="input"
                rows="2"
                dir="auto"
                aria-label=${this.#t.term('chatPlaceholder')}
                placeholder=${this.#t.term('chatPlaceholder')}
                @keydown=${this.#handleKeydown}
              ></textarea>
              <button part="send" type="button" @click=${this.#handleSendClick}>
                ${this.#t.term('chatSend')}
              </button>
            </form>`
      }
    `;
  }

  #list(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[part~="list"]');
  }

  #timeFormat(): Intl.DateTimeFormat {
    const lang = this.#t.lang();
    let format = this.#timeFormats.get(lang);
    if (!format) {
      try {
        format = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
      } catch {
        format = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
      }
      this.#timeFormats.set(lang, format);
    }
    return format;
  }
}
