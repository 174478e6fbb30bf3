import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { CallError } from '../../core/call-error.js';
import { fetchCallToken } from '../../core/token-client.js';
import { WhepSession } from '../../core/whep-client.js';
import { CallErrorEvent } from '../../events/call-error.js';
import { CallPlayerStateChangeEvent, type PlayerState } from '../../events/call-player-state-change.js';
import { BaseElement } from '../../internal/base-element.js';
import { styles } from './call-player.styles.js';

/** After a drop, retries wait 1 s, 2 s, 4 s … up to this. */
const MAX_RETRY_MS = 10_000;
/** A `disconnected` connection this long is treated as lost. */
const DISCONNECTED_GRACE_MS = 3_000;

/**
 * Watches one participant of a call room (or the room's stage) over WHEP: the lightest 1:N viewer, with no
 * presence and no partytracks. It starts muted so autoplay is allowed, offers an unmute button, and reconnects
 * by itself after a drop.
 *
 * @summary A WHEP player for a call room.
 * @status experimental
 * @since 0.1.0
 *
 * @fires call-player-state-change - The player moved between idle, connecting, playing, reconnecting and error.
 * @fires call-error - The stream could not be played (token refused, nothing to watch, connection lost).
 *
 * @csspart base - The frame around the picture.
 * @csspart video - The `<video>` element.
 * @csspart status - The "Connecting…" / "Reconnecting…" label.
 * @csspart unmute-button - The button that turns the sound on (and off again).
 *
 * @cssprop --call-player-background - Behind the picture. Default: #000000.
 * @cssprop --call-player-radius - Corner radius. Default: var(--call-radius-m, 8px).
 * @cssprop --call-player-aspect-ratio - The frame's shape. Default: 16 / 9.
 * @cssprop --call-player-button-background - The unmute button and status label. Default: rgb(0 0 0 / 0.6).
 * @cssprop --call-player-button-color - Their text. Default: #ffffff.
 *
 * @cssstate connecting - Negotiating the first time.
 * @cssstate playing - Frames are arriving.
 * @cssstate reconnecting - The stream dropped; trying again.
 * @cssstate error - Stopped: the token was refused, or the page asked for something it may not watch.
 * @cssstate muted - The sound is off.
 */
export class CallPlayer extends BaseElement {
  static override styles = [BaseElement.styles, styles];

  // PUBLIC API
  /** The WHEP endpoint: `/whep/<room>` for the room's stage, `/whep/<room>/<participant>` for one person. */
  @property() src = '';

  /** The site's token endpoint (`POST { room }` → `{ token, serverUrl? }`); leave out for a public broadcast. */
  @property({ attribute: 'token-endpoint' }) tokenEndpoint = '';

  /** The room to ask a token for; by default the room named in `src`. */
  @property() room = '';

  /** Post no offer and answer the server's counter-offer instead (WHEP's 406 + PATCH). */
  @property({ type: Boolean, attribute: 'counter-offer' }) counterOffer = false;

  /** Where the player is. */
  get state(): PlayerState {
    return this.playerState;
  }

  /** Whether the sound is off. The player starts muted (autoplay); the unmute button or `unmute()` turns it on. */
  get muted(): boolean {
    return this.soundOff;
  }

  /** Turns the sound on; call it from a user gesture. */
  unmute(): void {
    this.soundOff = false;
    void this.video?.play().catch(() => {
      this.soundOff = true; // the browser still wants a gesture
    });
  }

  mute(): void {
    this.soundOff = true;
  }

  // INTERNAL STATE
  @state() private playerState: PlayerState = 'idle';
  @state() private soundOff = true;
  @state() private stream: MediaStream | undefined;
  readonly #t = new LocalizeController(this);
  #session: WhepSession | undefined;
  #abort: AbortController | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;

  private get video(): HTMLVideoElement | null {
    return this.renderRoot.querySelector('video');
  }

  // LIFECYCLE
  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
    this.#moveTo('idle');
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (
      changed.has('src') ||
      changed.has('tokenEndpoint') ||
      changed.has('room') ||
      changed.has('counterOffer')
    )
      this.#restart();
    this.setCustomState('muted', this.soundOff);
  }

  // RENDERING
  protected override render() {
    const label =
      this.playerState === 'connecting'
        ? this.#t.term('playerConnecting')
        : this.playerState === 'reconnecting'
          ? this.#t.term('playerReconnecting')
          : this.playerState === 'error'
            ? this.#t.term('playerError')
            : undefined;
    return html`
      <div part="base">
        <video
          part="video"
          .srcObject=${this.stream ?? null}
          .muted=${this.soundOff}
          autoplay
          playsinline
          @playing=${this.#handlePlaying}
        ></video>
        ${label ? html`<span part="status" role="status">${label}</span>` : nothing}
        ${
          this.stream
            ? html`<button
                part="unmute-button"
                type="button"
                aria-pressed=${this.soundOff ? 'false' : 'true'}
                @click=${this.#handleSoundClick}
              >
                ${this.soundOff ? this.#t.term('unmute') : this.#t.term('mute')}
              </button>`
            : nothing
        }
      </div>
    `;
  }

  #handleSoundClick(): void {
    if (this.soundOff) this.unmute();
    else this.mute();
  }

  #handlePlaying(): void {
    if (this.#session) {
      this.#attempt = 0;
      this.#moveTo('playing');
    }
  }

  // PLAYBACK
  #restart(): void {
    this.#stop();
    this.#attempt = 0;
    if (this.isConnected && this.src) void this.#connect();
  }

  async #connect(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    this.#moveTo(this.#attempt === 0 && this.playerState !== 'reconnecting' ? 'connecting' : 'reconnecting');
    let session: WhepSession | undefined;
    try {
      const url = new URL(this.src, location.href);
      let token: string | undefined;
      let endpoint = url.href;
      if (this.tokenEndpoint) {
        const granted = await fetchCallToken(
          this.tokenEndpoint,
          { room: this.room || roomOf(url) },
          abort.signal,
        );
        token = granted.token;
        if (!/^[a-z]+:/i.test(this.src)) endpoint = new URL(this.src, granted.serverUrl).href;
      }
      if (abort.signal.aborted) return;
      session = new WhepSession({ url: endpoint, token, counterOffer: this.counterOffer });
      this.#session = session;
      session.pc.addEventListener('connectionstatechange', () => this.#watch(session!));
      await session.start(abort.signal);
      if (abort.signal.aborted) return;
      this.stream = session.stream;
    } catch (error) {
      if (abort.signal.aborted) return;
      void session?.close();
      this.#session = undefined;
      this.#fail(error);
    }
  }

  #watch(session: WhepSession): void {
    if (session !== this.#session) return;
    const state = session.pc.connectionState;
    clearTimeout(this.#disconnectTimer);
    if (state === 'failed' || state === 'closed') this.#retry();
    else if (state === 'disconnected')
      this.#disconnectTimer = setTimeout(() => this.#retry(), DISCONNECTED_GRACE_MS);
  }

  #fail(error: unknown): void {
    const callError =
      error instanceof CallError
        ? error
        : new CallError('connection-failed', 'The stream could not be started.', true, { cause: error });
    this.dispatchEvent(
      new CallErrorEvent({
        code: callError.code,
        message: callError.message,
        recoverable: callError.recoverable,
        cause: callError.cause,
      }),
    );
    if (callError.recoverable) this.#retry();
    else this.#moveTo('error');
  }

  #retry(): void {
    this.#stop();
    this.#moveTo('reconnecting');
    const delay = Math.min(MAX_RETRY_MS, 1_000 * 2 ** this.#attempt++);
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }

  #stop(): void {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#disconnectTimer);
    this.#abort?.abort();
    this.#abort = undefined;
    void this.#session?.close();
    this.#session = undefined;
    if (this.stream) this.stream = undefined;
  }

  #moveTo(next: PlayerState): void {
    const previous = this.playerState;
    if (previous === next) return;
    this.playerState = next;
    for (const name of ['connecting', 'playing', 'reconnecting', 'error'] as const)
      this.setCustomState(name, name === next);
    this.dispatchEvent(new CallPlayerStateChangeEvent({ state: next, previous }));
  }
}

/** `/whep/<room>[/…]` → the room. */
function roomOf(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean)[1] ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
