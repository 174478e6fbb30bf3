import { html, nothing, svg, type SVGTemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import type { CallSessionLike, LocalMediaState } from '../../core/types.js';
import { CallLeaveRequestEvent } from '../../events/call-leave-request.js';
import { CallSettingsToggleEvent } from '../../events/call-settings-toggle.js';
import { BaseElement } from '../../internal/base-element.js';
import { icon } from '../../internal/icon.js';
import { mediaIcons } from '../../internal/media-icons.js';
import { tokenStyles } from '../../styles/tokens.js';
import { visuallyHiddenStyles } from '../../styles/visually-hidden.js';
import type { Translation } from '../../translations/en.js';
import { CallControlsChangeEvent, type CallControlsChangeDetail } from '../../events/call-controls-change.js';
import { styles } from './call-controls.styles.js';

type Toggle = CallControlsChangeDetail['kind'];

const { slash } = mediaIcons;
const ICONS = {
  mic: mediaIcons.mic,
  camera: mediaIcons.camera,
  screen: svg`<rect x="3" y="4" width="18" height="13" rx="2" /><path d="M8 21h8M12 17v4M12 13.5V8M9 10.5l3-3 3 3" />`,
  settings: svg`<path d="M4 7h9M17 7h3M4 12h3M11 12h9M4 17h11M19 17h1" /><circle cx="15" cy="7" r="2" /><circle cx="9" cy="12" r="2" /><circle cx="17" cy="17" r="2" />`,
  leave: svg`<path d="M3.5 13.5c4.7-4.4 12.3-4.4 17 0l-2.3 2.6-3.4-1.4v-2.6a10 10 0 0 0-5.6 0v2.6l-3.4 1.4z" />`,
} satisfies Record<string, SVGTemplateResult>;

/**
 * The call's control bar: microphone, camera and screen-sharing toggles, a settings button, and leave. The toggles
 * are real buttons with `aria-pressed` and constant names ("Microphone", "Camera", "Share screen"); they follow the
 * session's `localMedia$` and call `setMicEnabled()`, `setCameraEnabled()` or `setScreenShareEnabled()`. When the
 * microphone is off but picks up speech, a hint appears next to it. When the page may not publish, the toggles stay
 * focusable with `aria-disabled` and a visible reason.
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
 *
 * @csspart base - The group around every button.
 * @csspart mic - The microphone toggle.
 * @csspart camera - The camera toggle.
 * @csspart screen - The screen-sharing toggle (absent when the browser can't share its screen).
 * @csspart settings - The settings button.
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
 * @cssstate devices-blocked - The browser blocked the camera and microphone; their toggles are unavailable, screen sharing is not.
 */
export class CallControls extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, visuallyHiddenStyles, styles];

  // PUBLIC API
  /** Whether settings are shown; drives the settings button's `aria-expanded`. Setting it fires no event. */
  @property({ type: Boolean, reflect: true, attribute: 'settings-open' }) settingsOpen = false;

  /** Hides the visible text under each button (the accessible names stay). */
  @property({ type: Boolean, reflect: true, attribute: 'without-labels' }) withoutLabels = false;

  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  // INTERNAL STATE
  readonly #session = new SessionConsumer(this);
  readonly #media = new ObservableController<LocalMediaState>(this, () => this.#session.value?.localMedia$);
  readonly #t = new LocalizeController(this, () => this.strings);

  // LIFECYCLE
  protected override willUpdate(): void {
    const media = this.#media.value;
    this.setCustomState('muted', media ? !media.micOn : false);
    this.setCustomState('camera-off', media ? !media.cameraOn : false);
    this.setCustomState('sharing', media?.screenOn ?? false);
    this.setCustomState('talking-while-muted', this.#talkingWhileMuted());
    this.setCustomState('cannot-publish', media ? !media.canPublish : false);
    this.setCustomState('devices-blocked', media?.devicesBlocked ?? false);
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

  #handleSettingsClick(): void {
    this.settingsOpen = !this.settingsOpen;
    this.dispatchEvent(new CallSettingsToggleEvent({ open: this.settingsOpen }));
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
        ${
          media?.canShareScreen === false
            ? nothing
            : this.#renderToggle('screen', 'screen', ICONS.screen, media)
        }
        <button
          part="settings"
          type="button"
          aria-expanded=${this.settingsOpen ? 'true' : 'false'}
          @click=${this.#handleSettingsClick}
        >
          <span class="circle">${icon(ICONS.settings)}</span>
          <span class=${this.#labelClass()}>${this.#t.term('settings')}</span>
        </button>
        <slot name="end"></slot>
        <button part="leave" type="button" @click=${this.#handleLeaveClick}>
          <span class="circle">${icon(ICONS.leave)}</span>
          <span class=${this.#labelClass()}>${this.#t.term('leave')}</span>
        </button>
        <p part="reason" id="reason" ?hidden=${!reason}>${reason}</p>
      </div>
    `;
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
      class=${on ? 'on' : 'off'}
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
