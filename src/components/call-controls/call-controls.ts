import { html, nothing, svg, type SVGTemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import type { CallParticipant, CallSessionLike, LocalMediaState } from '../../core/types.js';
import { REACTIONS, type Reaction } from '../../protocol/moderation.js';
import { CallLeaveRequestEvent } from '../../events/call-leave-request.js';
import { CallSettingsToggleEvent } from '../../events/call-settings-toggle.js';
import { BaseElement } from '../../internal/base-element.js';
import { icon } from '../../internal/icon.js';
import { mediaIcons } from '../../internal/media-icons.js';
import { tokenStyles } from '../../styles/tokens.js';
import { menuStyles } from '../../styles/menu.js';
import { visuallyHiddenStyles } from '../../styles/visually-hidden.js';
import type { Translation } from '../../translations/en.js';
import { CallControlsChangeEvent, type CallControlsChangeDetail } from '../../events/call-controls-change.js';
import { CallLayoutChangeEvent, type CallLayout } from '../../events/call-layout-change.js';
import { CallParticipantsToggleEvent } from '../../events/call-participants-toggle.js';
import { CallChatToggleEvent } from '../../events/call-chat-toggle.js';
import type { DeviceSnapshot } from '../../core/media-devices.js';
import { styles } from './call-controls.styles.js';

type Toggle = Exclude<CallControlsChangeDetail['kind'], 'hand'>;

const { slash } = mediaIcons;
const ICONS = {
  chat: svg`<path d="M4 5h16v11H9l-5 4z" />`,
  mic: mediaIcons.mic,
  camera: mediaIcons.camera,
  screen: svg`<rect x="3" y="4" width="18" height="13" rx="2" /><path d="M8 21h8M12 17v4M12 13.5V8M9 10.5l3-3 3 3" />`,
  settings: svg`<path d="M4 7h9M17 7h3M4 12h3M11 12h9M4 17h11M19 17h1" /><circle cx="15" cy="7" r="2" /><circle cx="9" cy="12" r="2" /><circle cx="17" cy="17" r="2" />`,
  people: svg`<circle cx="9" cy="8" r="3.5" /><path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7M18 14.5a6.5 6.5 0 0 1 3.5 5.5" />`,
  more: svg`<circle cx="5" cy="12" r="1.5" /><circle cx="12" cy="12" r="1.5" /><circle cx="19" cy="12" r="1.5" />`,
  hand: svg`<path d="M8 13V6.5a1.5 1.5 0 0 1 3 0V12M11 11.5V4.5a1.5 1.5 0 0 1 3 0V12M14 12V6a1.5 1.5 0 0 1 3 0v6.5M17 12.5V9a1.5 1.5 0 0 1 3 0v5a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-2.7l-2.6-4a1.6 1.6 0 0 1 2.6-1.8L8 15" />`,
  reactions: svg`<circle cx="12" cy="12" r="9" /><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />`,
  leave: svg`<path d="M3.5 13.5c4.7-4.4 12.3-4.4 17 0l-2.3 2.6-3.4-1.4v-2.6a10 10 0 0 0-5.6 0v2.6l-3.4 1.4z" />`,
} satisfies Record<string, SVGTemplateResult>;

/**
 * The call's control bar: microphone, camera and screen-sharing toggles, participants, settings, a menu with more
 * (layout, switch camera), and leave. On a narrow screen (a viewport under 480 px) one row keeps microphone, camera, the
 * menu and leave; screen sharing, participants and settings move into the menu. The toggles
 * are real buttons with `aria-pressed` and constant names ("Microphone", "Camera", "Share screen"); they follow the
 * session's `localMedia$` and call `setMicEnabled()`, `setCameraEnabled()` or `setScreenShareEnabled()`. When the
 * microphone is off but picks up speech, a hint appears next to it. When the page may not publish, the toggles stay
 * focusable with `aria-disabled` and a visible reason. A viewer (a token without `canPublish`, watching a broadcast)
 * gets chat (where its token allows sending), settings (the speaker) and leave; more (a raised hand) goes in the
 * `start` and `end` slots.
 *
 * Works inside a `<call-room>` (it takes the room's session) or anywhere with `.session`.
 *
 * @summary Microphone, camera and screen toggles, settings and leave.
 * @status experimental
 * @since 0.1.0
 *
 * @slot start - Extra buttons before the microphone.
 * @slot end - Extra buttons after settings, before leave.
 *
 * @fires change - The user toggled the microphone, camera or screen sharing: `detail` is `{ kind, on }`, `kind` being `microphone`, `camera` or `screen`. Not fired when the state changes otherwise.
 * @fires call-leave-request - The user pressed leave. Cancelable: unless `preventDefault()` is called, the element calls `session.leave()`.
 * @fires call-settings-toggle - The user pressed settings: `detail.open` says whether settings should show. The room (or page) shows them; the button's `aria-expanded` follows `settingsOpen`.
 * @fires call-chat-toggle - The user pressed chat: `detail.open` says whether the chat should show.
 * @fires call-participants-toggle - The user pressed participants: `detail.open` says whether the list should show. The button's `aria-expanded` follows `participantsOpen`.
 * @fires call-layout-change - The user picked a layout in the menu: `detail.layout` is `grid` or `speaker`.
 * @fires change - Also for the raise-hand toggle: `detail` is `{ kind: 'hand', on }`.
 *
 * @csspart base - The group around every button.
 * @csspart mic - The microphone toggle.
 * @csspart camera - The camera toggle.
 * @csspart screen - The screen-sharing toggle (absent when the browser can't share its screen).
 * @csspart settings - The settings button.
 * @csspart participants - The participants button.
 * @csspart chat - The chat button (shown when the session has chat).
 * @csspart chat-unread - The unread count on the chat button (`99+` above 99); the button's name says it too.
 * @csspart more - The button that opens the menu.
 * @csspart menu - The menu: layout, switch camera, and on a narrow screen share, participants and settings.
 * @csspart hand - The raise-hand toggle (`aria-pressed` while the hand is up); shown when the session has hands.
 * @csspart reactions - The button that opens the reactions (absent with `without-reactions`).
 * @csspart reactions-menu - The row of reaction buttons.
 * @csspart reaction - One reaction button.
 * @csspart leave - The leave button.
 * @csspart hint - The "are you talking?" hint next to the microphone.
 * @csspart reason - Why the toggles are unavailable, when publishing is not allowed.
 *
 * @cssprop --call-controls-gap - Space between buttons. Default: var(--call-space-s, 8px).
 * @cssprop --call-controls-button-size - Diameter of the round buttons. Default: 44px.
 * @cssprop --call-controls-button-background - Button background when on. Default: var(--call-color-surface-raised, #f1f3f4).
 * @cssprop --call-controls-button-color - Icon colour when on. Default: var(--call-color-on-surface, #1f1f1f).
 * @cssprop --call-controls-off-background - Microphone or camera off. Default: var(--call-color-danger, #c5221f).
 * @cssprop --call-controls-active-background - Screen sharing on, settings open. Default: var(--call-color-accent, #1a73e8).
 * @cssprop --call-controls-leave-background - The leave button. Default: var(--call-color-danger, #c5221f).
 *
 * @cssstate muted - The microphone is off.
 * @cssstate camera-off - The camera is off.
 * @cssstate sharing - The screen is being shared.
 * @cssstate talking-while-muted - The microphone is off but picks up speech; the hint shows.
 * @cssstate cannot-publish - Publishing is not allowed; the toggles are unavailable.
 * @cssstate hand-raised - The user's hand is up.
 * @cssstate viewer - The page only watches: the bar holds chat (if allowed), settings and leave.
 * @cssstate devices-blocked - The browser blocked the camera and microphone; their toggles are unavailable, screen sharing is not.
 */
export class CallControls extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, visuallyHiddenStyles, menuStyles, styles];

  // PUBLIC API
  /** Whether settings are shown; drives the settings button's `aria-expanded`. Setting it fires no event. */
  @property({ type: Boolean, reflect: true, attribute: 'settings-open' }) settingsOpen = false;

  /** Whether the participant list is shown; drives the participants button's `aria-expanded` (no event when set). */
  @property({ type: Boolean, reflect: true, attribute: 'participants-open' }) participantsOpen = false;

  /** Whether the chat is shown; drives the chat button's `aria-expanded` (no event when set). */
  @property({ type: Boolean, reflect: true, attribute: 'chat-open' }) chatOpen = false;

  /** Messages received while the chat was closed, shown on the chat button. */
  @property({ type: Number, attribute: 'chat-unread' }) chatUnread = 0;

  /** The room's layout, checked in the menu. Setting it fires no event. */
  @property({ reflect: true }) layout: CallLayout = 'grid';

  /** Hides the visible text under each button (the accessible names stay). */
  @property({ type: Boolean, reflect: true, attribute: 'without-labels' }) withoutLabels = false;

  /** Hides the reactions button. */
  @property({ type: Boolean, reflect: true, attribute: 'without-reactions' }) withoutReactions = false;

  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  // INTERNAL STATE
  readonly #session = new SessionConsumer(this);
  readonly #media = new ObservableController<LocalMediaState>(this, () => this.#session.value?.localMedia$);
  readonly #t = new LocalizeController(this, () => this.strings);
  /** Whether a viewer may chat: its token allows sending, and the channel is open. */
  readonly #canChat = new ObservableController<boolean>(this, () =>
    this.#media.value?.viewer ? this.#session.value?.chat?.canSend$ : undefined,
  );
  /** Whether the menu is open: cameras are listed only then (for "Switch camera"). */
  #menuOpen = false;
  readonly #cameras = new ObservableController<DeviceSnapshot>(this, () =>
    this.#menuOpen ? this.#session.value?.deviceSource('camera').snapshot$ : undefined,
  );

  readonly #participants = new ObservableController<readonly CallParticipant[]>(this, () =>
    this.#session.value?.setHandRaised ? this.#session.value.participants$ : undefined,
  );

  /** Whether the user's hand is up; undefined when the session has no hands. */
  #handRaised(): boolean | undefined {
    if (!this.#session.value?.setHandRaised) return undefined;
    return this.#participants.value?.find((p) => p.isLocal)?.handRaised ?? false;
  }

  // LIFECYCLE
  protected override willUpdate(): void {
    const media = this.#media.value;
    this.setCustomState('hand-raised', this.#handRaised() ?? false);
    this.setCustomState('muted', media ? !media.micOn : false);
    this.setCustomState('camera-off', media ? !media.cameraOn : false);
    this.setCustomState('sharing', media?.screenOn ?? false);
    this.setCustomState('talking-while-muted', this.#talkingWhileMuted());
    this.setCustomState('cannot-publish', media ? !media.canPublish : false);
    this.setCustomState('devices-blocked', media?.devicesBlocked ?? false);
    this.setCustomState('viewer', media?.viewer ?? false);
  }

  #talkingWhileMuted(): boolean {
    const media = this.#media.value;
    return Boolean(media && !media.micOn && media.talkingWhileMuted && media.canPublish);
  }

  // HANDLERS
  #toggle(kind: Toggle): void {
    const media = this.#media.value;
    const session = this.#session.value;
    if (!media || !session || !this.#available(kind, media)) return;
    let on: boolean;
    if (kind === 'microphone') session.setMicEnabled((on = !media.micOn));
    else if (kind === 'camera') session.setCameraEnabled((on = !media.cameraOn));
    else session.setScreenShareEnabled((on = !media.screenOn));
    this.dispatchEvent(new CallControlsChangeEvent({ kind, on }));
  }

  #handleHandClick(): void {
    const raised = this.#handRaised();
    if (raised === undefined) return;
    this.#session.value?.setHandRaised?.(!raised);
    this.dispatchEvent(new CallControlsChangeEvent({ kind: 'hand', on: !raised }));
  }

  #handleReaction(emoji: Reaction): void {
    this.renderRoot.querySelector<HTMLElement>('[part~="reactions-menu"]')?.hidePopover();
    this.#session.value?.react?.(emoji);
  }

  #handleReactionsToggle = (event: ToggleEvent): void => {
    if (event.newState !== 'open') return;
    const menu = event.target as HTMLElement;
    const button = this.renderRoot.querySelector('[part~="reactions"]')?.getBoundingClientRect();
    if (button) {
      const left = button.left + button.width / 2 - menu.offsetWidth / 2;
      menu.style.setProperty(
        'left',
        `${Math.round(Math.max(8, Math.min(left, innerWidth - menu.offsetWidth - 8)))}px`,
      );
      menu.style.setProperty('top', `${Math.round(Math.max(8, button.top - menu.offsetHeight - 8))}px`);
    }
    menu.querySelector<HTMLElement>('button')?.focus();
  };

  /** Arrow keys move between the reactions, as in a toolbar. */
  #handleReactionsKeydown = (event: KeyboardEvent): void => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const buttons = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="reaction"]')];
    const index = buttons.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLElement);
    buttons[(index + step + buttons.length) % buttons.length]?.focus();
    event.preventDefault();
  };

  #handleSettingsClick(): void {
    this.settingsOpen = !this.settingsOpen;
    this.dispatchEvent(new CallSettingsToggleEvent({ open: this.settingsOpen }));
  }

  #handleChatClick(): void {
    this.chatOpen = !this.chatOpen;
    this.dispatchEvent(new CallChatToggleEvent({ open: this.chatOpen }));
  }

  #handleParticipantsClick(): void {
    this.participantsOpen = !this.participantsOpen;
    this.dispatchEvent(new CallParticipantsToggleEvent({ open: this.participantsOpen }));
  }

  #handleLayoutClick(): void {
    this.layout = this.layout === 'grid' ? 'speaker' : 'grid';
    this.dispatchEvent(new CallLayoutChangeEvent({ layout: this.layout }));
  }

  /** The next camera, front to back and round: for phones with two. */
  #handleSwitchCamera(): void {
    const snapshot = this.#cameras.value;
    const source = this.#session.value?.deviceSource('camera');
    if (!snapshot || !source || snapshot.devices.length < 2) return;
    const index = snapshot.devices.findIndex((d) => d.deviceId === snapshot.active?.deviceId);
    source.select(snapshot.devices[(index + 1) % snapshot.devices.length]!);
  }

  #handleMenuToggle = (event: ToggleEvent): void => {
    this.#menuOpen = event.newState === 'open';
    this.requestUpdate();
    if (!this.#menuOpen) return;
    const menu = event.target as HTMLElement;
    const button = this.renderRoot.querySelector('[part~="more"]')?.getBoundingClientRect();
    if (button) {
      menu.style.setProperty('left', `${Math.round(Math.max(8, button.right - menu.offsetWidth))}px`);
      menu.style.setProperty('top', `${Math.round(Math.max(8, button.top - menu.offsetHeight - 8))}px`);
    }
    menu.querySelector<HTMLElement>('button:not([hidden])')?.focus();
  };

  /** Runs a menu item, then closes the menu. */
  #menuItem(action: () => void): () => void {
    return () => {
      this.renderRoot.querySelector<HTMLElement>('[part~="menu"]')?.hidePopover();
      action();
    };
  }

  #handleLeaveClick(): void {
    const request = new CallLeaveRequestEvent();
    this.dispatchEvent(request);
    if (!request.defaultPrevented) void this.#session.value?.leave();
  }

  /** Whether a toggle can work: the token allows publishing, and the camera and mic need the browser's leave. */
  #available(kind: Toggle, media: LocalMediaState | undefined): boolean {
    if (!media) return true;
    return media.canPublish && (kind === 'screen' || !media.devicesBlocked);
  }

  // RENDERING
  /** `without-labels` keeps the labels for screen readers only. */
  #labelClass(): string {
    return this.withoutLabels ? 'label visually-hidden' : 'label';
  }

  protected override render() {
    const media = this.#media.value;
    if (media?.viewer) return this.#renderViewer();
    const hint = this.#talkingWhileMuted();
    const reason = !(media?.canPublish ?? true)
      ? this.#t.term('cannotPublish')
      : media?.devicesBlocked
        ? this.#t.term('devicesBlocked')
        : '';
    return html`
      <div part="base" role="group" aria-label=${this.#t.term('callControls')}>
        <slot name="start"></slot>
        <span class="anchor">
          ${this.#renderToggle('microphone', 'mic', ICONS.mic, media, hint)}
          <span part="hint" id="hint" role="status">${hint ? this.#t.term('talkingWhileMuted') : ''}</span>
        </span>
        ${this.#renderToggle('camera', 'camera', ICONS.camera, media)}
        ${media?.canShareScreen === false ? nothing : this.#renderToggle('screen', 'screen', ICONS.screen, media)}
        ${this.#renderHand()} ${this.#renderReactions()}
        ${this.#session.value?.chat ? this.#renderChat() : nothing}
        <button
          part="participants"
          class="wide-only"
          type="button"
          aria-expanded=${this.participantsOpen ? 'true' : 'false'}
          @click=${this.#handleParticipantsClick}
        >
          <span class="circle">${icon(ICONS.people)}</span>
          <span class=${this.#labelClass()}>${this.#t.term('participants')}</span>
        </button>
        ${this.#renderSettings('wide-only')}
        <slot name="end"></slot>
        <button part="more" type="button" popovertarget="menu" aria-haspopup="true">
          <span class="circle">${icon(ICONS.more)}</span>
          <span class=${this.#labelClass()}>${this.#t.term('more')}</span>
        </button>
        ${this.#renderMenu(media)} ${this.#renderLeave()}
        <p part="reason" id="reason" ?hidden=${!reason}>${reason}</p>
      </div>
    `;
  }

  #renderHand() {
    const raised = this.#handRaised();
    if (raised === undefined) return nothing;
    return html`<button
      part="hand"
      type="button"
      class="wide-only ${raised ? 'active' : ''}"
      aria-pressed=${raised ? 'true' : 'false'}
      aria-keyshortcuts="Control+Alt+H"
      @click=${this.#handleHandClick}
    >
      <span class="circle">${icon(ICONS.hand)}</span>
      <span class=${this.#labelClass()}>${this.#t.term('raiseHand')}</span>
    </button>`;
  }

  #renderReactions() {
    if (this.withoutReactions || !this.#session.value?.react) return nothing;
    return html`<button
        part="reactions"
        class="wide-only"
        type="button"
        popovertarget="reactions-menu"
        aria-haspopup="true"
      >
        <span class="circle">${icon(ICONS.reactions)}</span>
        <span class=${this.#labelClass()}>${this.#t.term('reactions')}</span>
      </button>
      <div
        popover
        id="reactions-menu"
        part="reactions-menu"
        class="menu reactions-menu"
        role="toolbar"
        aria-label=${this.#t.term('reactions')}
        @toggle=${this.#handleReactionsToggle}
        @keydown=${this.#handleReactionsKeydown}
      >
        ${REACTIONS.map(
          (emoji) =>
            html`<button
              part="reaction"
              type="button"
              aria-label=${this.#t.term('sendReaction', emoji)}
              @click=${() => this.#handleReaction(emoji)}
            >
              ${emoji}
            </button>`,
        )}
      </div>`;
  }

  /** A viewer's bar: no toggles, people or menu; chat only where its token allows sending. */
  #renderViewer() {
    return html`
      <div part="base" role="group" aria-label=${this.#t.term('callControls')}>
        <slot name="start"></slot>
        ${this.#canChat.value ? this.#renderChat() : nothing} ${this.#renderSettings('')}
        <slot name="end"></slot>
        ${this.#renderLeave()}
      </div>
    `;
  }

  /** `wide-only` moves it into the menu on a narrow screen; a viewer's bar keeps it in every width. */
  #renderSettings(className: string) {
    return html`<button
      part="settings"
      class=${className}
      type="button"
      aria-expanded=${this.settingsOpen ? 'true' : 'false'}
      @click=${this.#handleSettingsClick}
    >
      <span class="circle">${icon(ICONS.settings)}</span>
      <span class=${this.#labelClass()}>${this.#t.term('settings')}</span>
    </button>`;
  }

  #renderLeave() {
    return html`<button part="leave" type="button" @click=${this.#handleLeaveClick}>
      <span class="circle">${icon(ICONS.leave)}</span>
      <span class=${this.#labelClass()}>${this.#t.term('leave')}</span>
    </button>`;
  }

  #renderMenu(media: LocalMediaState | undefined) {
    const cameras = this.#cameras.value?.devices.length ?? 0;
    const sharing = media?.screenOn ?? false;
    const raised = this.#handRaised();
    return html`<div popover id="menu" part="menu" class="menu" @toggle=${this.#handleMenuToggle}>
      ${
        raised === undefined
          ? nothing
          : html`<button
              class="narrow-only"
              type="button"
              @click=${this.#menuItem(() => this.#handleHandClick())}
            >
              ${this.#t.term(raised ? 'lowerYourHand' : 'raiseHand')}
            </button>`
      }
      ${
        this.withoutReactions || !this.#session.value?.react
          ? nothing
          : html`<div class="narrow-only menu-reactions" role="group" aria-label=${this.#t.term('reactions')}>
              ${REACTIONS.map(
                (emoji) =>
                  html`<button
                    type="button"
                    aria-label=${this.#t.term('sendReaction', emoji)}
                    @click=${this.#menuItem(() => this.#session.value?.react?.(emoji))}
                  >
                    ${emoji}
                  </button>`,
              )}
            </div>`
      }
      ${
        media?.canShareScreen === false
          ? nothing
          : html`<button
              class="narrow-only"
              type="button"
              aria-disabled=${this.#available('screen', media) ? nothing : 'true'}
              @click=${this.#menuItem(() => this.#toggle('screen'))}
            >
              ${this.#t.term(sharing ? 'stopSharing' : 'shareScreen')}
            </button>`
      }
      <button
        class="narrow-only"
        type="button"
        @click=${this.#menuItem(() => this.#handleParticipantsClick())}
      >
        ${this.#t.term('participants')}
      </button>
      <button class="narrow-only" type="button" @click=${this.#menuItem(() => this.#handleSettingsClick())}>
        ${this.#t.term('settings')}
      </button>
      <button type="button" ?hidden=${cameras < 2} @click=${this.#menuItem(() => this.#handleSwitchCamera())}>
        ${this.#t.term('switchCamera')}
      </button>
      <button type="button" @click=${this.#menuItem(() => this.#handleLayoutClick())}>
        ${this.#t.term(this.layout === 'grid' ? 'speakerView' : 'gridView')}
      </button>
    </div>`;
  }

  /** The chat button, with the count of unread messages (the accessible name says it too). */
  #renderChat() {
    const unread = this.chatUnread;
    return html`<button
      part="chat"
      type="button"
      aria-expanded=${this.chatOpen ? 'true' : 'false'}
      aria-label=${unread > 0 ? this.#t.term('chatUnread', unread) : this.#t.term('chat')}
      @click=${this.#handleChatClick}
    >
      <span class="circle">${icon(ICONS.chat)}</span>
      <span class=${this.#labelClass()}>${this.#t.term('chat')}</span>
      ${unread > 0 ? html`<span part="chat-unread" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : nothing}
    </button>`;
  }

  #renderToggle(
    kind: Toggle,
    name: string,
    paths: SVGTemplateResult,
    media: LocalMediaState | undefined,
    hint = false,
  ) {
    const on = Boolean(
      kind === 'microphone' ? media?.micOn : kind === 'camera' ? media?.cameraOn : media?.screenOn,
    );
    const available = this.#available(kind, media);
    const label = this.#t.term(
      kind === 'microphone' ? 'microphone' : kind === 'camera' ? 'camera' : 'shareScreen',
    );
    const describedBy = [available ? '' : 'reason', hint ? 'hint' : ''].filter(Boolean).join(' ');
    return html`<button
      part=${name}
      type="button"
      class="${on ? 'on' : 'off'} ${kind === 'screen' ? 'wide-only' : ''}"
      aria-pressed=${on ? 'true' : 'false'}
      aria-disabled=${available ? nothing : 'true'}
      aria-describedby=${describedBy || nothing}
      @click=${() => this.#toggle(kind)}
    >
      <span class="circle">${icon(paths, kind !== 'screen' && !on ? slash : nothing)}</span>
      <span class=${this.#labelClass()}>${label}</span>
    </button>`;
  }
}
