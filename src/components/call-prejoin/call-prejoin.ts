import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import type { CallParticipant, CallSessionLike, LocalMediaState, RoomLobby } from '../../core/types.js';
import { CallJoinRequestEvent } from '../../events/call-join-request.js';
import { BaseElement } from '../../internal/base-element.js';
import { icon } from '../../internal/icon.js';
import { mediaIcons } from '../../internal/media-icons.js';
import { micMeter, micMeterStyles } from '../../internal/mic-meter.js';
import { tokenStyles } from '../../styles/tokens.js';
import { visuallyHiddenStyles } from '../../styles/visually-hidden.js';
import type { Translation } from '../../translations/en.js';
import { styles } from './call-prejoin.styles.js';

/** Where the name typed last time is kept, so a returning user finds it filled in. */
const NAME_STORAGE_KEY = 'call-elements-display-name';
const MAX_NAME_LENGTH = 256;

function rememberedName(): string {
  try {
    return localStorage.getItem(NAME_STORAGE_KEY) ?? '';
  } catch {
    return ''; // storage blocked (a sandboxed frame, strict privacy settings)
  }
}

function rememberName(name: string): void {
  try {
    localStorage.setItem(NAME_STORAGE_KEY, name);
  } catch {
    // not remembered; nothing else depends on it
  }
}

/**
 * The screen before a call: your camera preview (mirrored) with microphone and camera switches, a microphone
 * level meter, your name, the camera, microphone and speaker pickers, the room's name and who is already in
 * it. The previewed camera is the one the call publishes: joining opens nothing again.
 *
 * Works inside a `<call-room>` (which shows it before joining, unless `without-prejoin`) or anywhere with
 * `.session`. Opens the preview when it connects and closes it when it leaves the page without a join.
 *
 * @summary Camera preview, name and devices before joining a call.
 * @status experimental
 * @since 0.2.0
 *
 * @slot heading - Replaces the "Ready to join?" heading.
 *
 * @fires call-join-request - The user pressed Join: `detail.displayName` is the name field's value. Cancelable: unless `preventDefault()` is called, the element calls `session.join({ displayName })`.
 *
 * @csspart base - The screen's frame.
 * @csspart preview - The `<video-tile>` showing your camera.
 * @csspart mic - The microphone switch on the preview.
 * @csspart camera - The camera switch on the preview.
 * @csspart meter - The microphone level meter.
 * @csspart panel - The side with the heading, name, devices and Join.
 * @csspart heading - The heading.
 * @csspart room - The room's name.
 * @csspart lobby - Who is already in the room.
 * @csspart name-input - The name field.
 * @csspart devices - The three device pickers.
 * @csspart join - The Join button.
 *
 * @cssprop --call-prejoin-max-width - The widest the screen gets. Default: 1040px.
 * @cssprop --call-prejoin-background - Behind the screen. Default: var(--call-color-surface, #ffffff).
 *
 * @cssstate muted - The microphone is off.
 * @cssstate camera-off - The camera is off.
 */
export class CallPrejoin extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, visuallyHiddenStyles, micMeterStyles, styles];

  // PUBLIC API
  /** The room's name as people know it; shown under the heading. */
  @property() room = '';

  /** The name to fill in when the user has not typed one before. */
  @property({ attribute: 'display-name' }) displayName = '';

  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  // INTERNAL STATE
  @state() private name = '';
  @query('input') private nameInput?: HTMLInputElement;

  readonly #session = new SessionConsumer(this);
  readonly #t = new LocalizeController(this, () => this.strings);
  readonly #media = new ObservableController<LocalMediaState>(this, () => this.#session.value?.localMedia$);
  readonly #video = new ObservableController<MediaStreamTrack | undefined>(
    this,
    () => this.#session.value?.localVideo$,
  );
  readonly #level = new ObservableController<number>(this, () => this.#session.value?.micLevel$);
  readonly #lobby = new ObservableController<RoomLobby | undefined>(this, () => this.#session.value?.lobby$);
  #previewing?: CallSessionLike;
  /** Set by Join: the session now owns the previewed tracks. */
  #joined = false;
  #nameEdited = false;

  /** Moves focus to the name field, or to Join when the name is filled in. */
  override focus(options?: FocusOptions): void {
    const target = this.name ? this.renderRoot.querySelector<HTMLElement>('[part~="join"]') : this.nameInput;
    target?.focus(options);
  }

  // LIFECYCLE
  override connectedCallback(): void {
    super.connectedCallback();
    this.name = rememberedName() || this.displayName;
    this.#joined = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leaving the page without a join closes the camera; after a join the session keeps it.
    if (!this.#joined) this.#previewing?.stopPreview();
    this.#previewing = undefined;
  }

  protected override willUpdate(): void {
    if (!this.#nameEdited && !this.name && this.displayName) this.name = this.displayName;
    const session = this.#session.value;
    if (!this.#joined && session !== this.#previewing && this.isConnected) {
      this.#previewing?.stopPreview();
      this.#previewing = session;
      session?.startPreview();
    }
    const media = this.#media.value;
    this.setCustomState('muted', media ? !media.micOn : false);
    this.setCustomState('camera-off', media ? !media.cameraOn : false);
  }

  // HANDLERS
  #handleNameInput(event: Event): void {
    this.#nameEdited = true;
    this.name = (event.target as HTMLInputElement).value;
  }

  #handleSubmit(event: Event): void {
    event.preventDefault();
    const displayName = this.name.trim();
    if (displayName) rememberName(displayName);
    const request = new CallJoinRequestEvent({ displayName });
    this.dispatchEvent(request);
    if (request.defaultPrevented) return;
    // The call takes the previewed tracks over: leaving the page now must not close them.
    this.#joined = true;
    void this.#session.value?.join(displayName ? { displayName } : {});
  }

  #toggle(kind: 'microphone' | 'camera'): void {
    const media = this.#media.value;
    const session = this.#session.value;
    if (!media || !session) return;
    if (kind === 'microphone') session.setMicEnabled(!media.micOn);
    else session.setCameraEnabled(!media.cameraOn);
  }

  // RENDERING
  protected override render() {
    const media = this.#media.value;
    const session = this.#session.value;
    return html`<form part="base" @submit=${this.#handleSubmit}>
      <div class="stage">
        <div class="frame">
          <video-tile
            part="preview"
            .participant=${this.#previewParticipant()}
            mirrored
            without-quality
            fit="cover"
          ></video-tile>
          <div class="switches">
            ${this.#renderSwitch('microphone', media?.micOn ?? false)}
            ${this.#renderSwitch('camera', media?.cameraOn ?? false)}
          </div>
        </div>
        <div part="devices">
          ${(['microphone', 'camera', 'speaker'] as const).map(
            (kind) =>
              html`<device-picker kind=${kind} .source=${session?.deviceSource(kind)}></device-picker>`,
          )}
        </div>
      </div>
      <div part="panel">
        <h2 part="heading"><slot name="heading">${this.#t.term('readyToJoin')}</slot></h2>
        ${this.room ? html`<p part="room">${this.#t.term('roomName', this.room)}</p>` : nothing}
        <p part="lobby" role="status">${this.#lobbyText()}</p>
        <label class="field">
          <span>${this.#t.term('yourName')}</span>
          <input
            part="name-input"
            name="name"
            autocomplete="name"
            maxlength=${MAX_NAME_LENGTH}
            .value=${this.name}
            @input=${this.#handleNameInput}
          />
        </label>
        <div class="meter-row">
          <span id="meter-label">${this.#t.term('micLevel')}</span>
          ${micMeter(this.#level.value ?? 0, 'meter-label')}
        </div>
        <button part="join" type="submit" ?disabled=${!session}>${this.#t.term('joinNow')}</button>
      </div>
    </form>`;
  }

  #renderSwitch(kind: 'microphone' | 'camera', on: boolean) {
    const paths = kind === 'microphone' ? mediaIcons.mic : mediaIcons.camera;
    return html`<button
      part=${kind === 'microphone' ? 'mic' : 'camera'}
      type="button"
      class=${on ? 'on' : 'off'}
      aria-pressed=${on ? 'true' : 'false'}
      @click=${() => this.#toggle(kind)}
    >
      ${icon(paths, on ? nothing : mediaIcons.slash)}
      <span class="visually-hidden">${this.#t.term(kind)}</span>
    </button>`;
  }

  /** The preview as a participant, so the tile shows initials when the camera is off. */
  #previewParticipant(): CallParticipant {
    const media = this.#media.value;
    const camera = media?.cameraOn ? this.#video.value : undefined;
    return {
      id: 'preview',
      name: this.name.trim() || this.#t.term('preview'),
      isLocal: true,
      micOn: media?.micOn ?? false,
      cameraOn: media?.cameraOn ?? false,
      screenOn: false,
      onStage: true,
      speaking: false,
      handRaised: false,
      joinedAt: 0,
      video: camera ? { camera } : {},
    };
  }

  #lobbyText(): string {
    const people = this.#lobby.value?.participants;
    if (!people) return '';
    const [a, b] = people.map((p) => p.name);
    if (people.length === 0) return this.#t.term('nobodyHere');
    if (people.length === 1) return this.#t.term('oneHere', a ?? '');
    if (people.length === 2) return this.#t.term('twoHere', a ?? '', b ?? '');
    return this.#t.term('manyHere', a ?? '', b ?? '', people.length - 2);
  }
}
