import { html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { cssVars } from '../../internal/css-vars.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import { ElementSizeController } from '../../controllers/element-size-controller.js';
import { TrackController } from '../../controllers/track-controller.js';
import { VideoViewController } from '../../controllers/video-view-controller.js';
import { defaultQualityThresholds, qualityLevel, type QualityThresholds } from '../../core/quality.js';
import type { CallParticipant, CallSessionLike, TrackStats } from '../../core/types.js';
import { BaseElement } from '../../internal/base-element.js';
import { icon } from '../../internal/icon.js';
import { hueOf, initialsOf } from '../../internal/initials.js';
import { tokenStyles } from '../../styles/tokens.js';
import type { Translation } from '../../translations/en.js';
import { qualityBars } from '../stats-badge/quality-bars.js';
import { styles } from './video-tile.styles.js';

/** Audio level (0..1) from which a participant counts as speaking. */
const SPEAKING_LEVEL = 0.08;
/** A camera covers its tile only when their shapes differ by at most this much; otherwise it is letterboxed. */
const MAX_COVER_DISTORTION = 0.2;
/** How long the speaking outline stays after the level drops, so it doesn't flicker between words. */
const SPEAKING_HOLD_MS = 300;
/** A remote video with no bytes for this long shows "Connection lost" (stats are sampled every second). */
const LOST_AFTER_MS = 3_000;

const QUALITY_TERM = {
  good: 'qualityGood',
  fair: 'qualityFair',
  poor: 'qualityPoor',
} as const satisfies Record<string, keyof Translation>;

const micOffIcon = svg`<path d="M9 9v3a3 3 0 0 0 5.1 2.1M15 9.4V6a3 3 0 0 0-5.9-.8M19 11a7 7 0 0 1-1.1 3.8M5 11a7 7 0 0 0 11.4 5.4M12 18v3M4 4l16 16" />`;
const handIcon = svg`<path d="M8 13V6.5a1.5 1.5 0 0 1 3 0V12M11 11.5V4.5a1.5 1.5 0 0 1 3 0V12M14 12V6a1.5 1.5 0 0 1 3 0v6.5M17 12.5V9a1.5 1.5 0 0 1 3 0v5a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-2.7l-2.6-4a1.6 1.6 0 0 1 2.6-1.8L8 15" />`;
const speakingIcon = svg`<path d="M4 10v4M8 7v10M12 4v16M16 7v10M20 10v4" />`;

/**
 * Shows one participant: their camera (or shared screen), or their initials when there is no picture, with their
 * name, a microphone-off icon, a speaking outline that follows the audio level, and a connection-quality
 * indicator. The video is always muted: audio plays elsewhere.
 *
 * Give it a participant through `.participant` (as `<call-room>` does), or name one with `participant-id` and it
 * finds them in the session of the closest `<call-room>` (or its own `.session`). Audio level and connection
 * quality come from that session; without one the tile uses the participant's `speaking` flag and shows no
 * quality.
 *
 * @summary One participant's video or initials, with name, mute, speaking and quality indicators.
 * @status experimental
 * @since 0.1.0
 *
 * @slot name - Replaces the visible name (the accessible name stays the participant's name).
 * @slot end - Extra badges after the status icons, e.g. a `<stats-badge>`.
 * @slot overlay - Content over the whole tile that lets clicks through, e.g. floating reactions.
 *
 * @csspart base - The tile: backdrop, speaking outline, and the accessible group named after the participant.
 * @csspart video - The `<video>` element.
 * @csspart initials - The initials shown when there is no picture.
 * @csspart name - The name plate.
 * @csspart status - The row of status icons (speaking, microphone off, quality).
 * @csspart muted-icon - The microphone-off icon.
 * @csspart speaking-icon - The speaking icon.
 * @csspart hand-icon - The raised-hand badge, at the start of the tile.
 * @csspart spotlight-badge - The "Spotlight" label on a participant a host spotlighted.
 * @csspart overlay - The layer over the tile that holds the `overlay` slot.
 * @csspart corners - Hidden by default. Shown (`display: block`) with `::part(base)` at `border-radius: 0`, it
 *   rounds the tile by painting its corners in `--call-video-tile-corner-color` (else the part's `color`)
 *   instead of clipping the video, which costs the compositor far less per frame. Only for a tile on a flat
 *   background of that colour; `<call-room>` does this for its tiles.
 * @csspart quality - The connection-quality bars.
 * @csspart lost - The "Connection lost" notice over a remote video that stopped arriving.
 * @csspart streaming-badge - The "Live stream" label on a participant the server brought in (WHIP, e.g. OBS).
 *
 * @cssprop --call-video-tile-background - Backdrop behind initials and letterboxed video. Default: #3c4043.
 * @cssprop --call-video-tile-radius - Corner radius. Default: var(--call-radius-l, 12px).
 * @cssprop --call-video-tile-corner-color - The flat colour behind the tile, for the `corners` part. Inside
 *   `<call-room>`: the room's background.
 * @cssprop --call-video-tile-aspect-ratio - Shape of the tile. Default: 16 / 9.
 * @cssprop --call-video-tile-speaking-color - Speaking outline. Default: var(--call-color-speaking, #2f80ed).
 * @cssprop --call-video-tile-label-background - Behind the name and status icons. Default: rgb(0 0 0 / 0.6).
 * @cssprop --call-video-tile-label-color - Name and icon colour. Default: #ffffff.
 * @cssprop --call-video-tile-muted-background - Behind the microphone-off icon. Default: #c5221f.
 * @cssprop --call-video-tile-hand-background - Behind the raised-hand badge. Default: var(--call-color-warning, #f9ab00).
 *
 * @cssstate speaking - The participant is speaking.
 * @cssstate muted - Their microphone is off.
 * @cssstate no-video - There is no picture for this source; initials are shown.
 * @cssstate local - It is the user of this page.
 * @cssstate hand-raised - Their hand is up.
 * @cssstate spotlighted - A host spotlighted them for everyone.
 * @cssstate screen - It shows a shared screen (`source="screen"`).
 * @cssstate poor-network - Connection quality is poor.
 * @cssstate connection-lost - A remote video stopped arriving: the tile shows "Connection lost", not a frozen frame.
 */
export class VideoTile extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, styles];

  // PUBLIC API
  /** The participant to show. Takes precedence over `participant-id`. */
  @property({ attribute: false }) participant?: CallParticipant;

  /** Id of a participant to find in the session, when `.participant` is not set. */
  @property({ attribute: 'participant-id' }) participantId = '';

  /** Which picture to show: the `camera` or the shared `screen`. */
  @property({ reflect: true }) source: 'camera' | 'screen' = 'camera';

  /**
   * How the video fills the tile: `cover` crops, `contain` letterboxes. Unset: a camera covers the tile when
   * their shapes are close (within 20 %) and is letterboxed otherwise, so a landscape camera is never cropped
   * to a portrait; a screen is always letterboxed.
   */
  @property({ reflect: true }) fit?: 'cover' | 'contain';

  /** Flips the camera picture horizontally, as a mirror (self view). Never applied to a shared screen. */
  @property({ type: Boolean, reflect: true }) mirrored = false;

  /** Hides the connection-quality indicator and stops sampling stats for it. */
  @property({ type: Boolean, reflect: true, attribute: 'without-quality' }) withoutQuality = false;

  /** `always` shows the quality bars whenever measured; `issues` only when fair or poor, as Meet does. */
  @property({ reflect: true, attribute: 'quality-indicator' }) qualityIndicator: 'always' | 'issues' =
    'always';

  /** Limits for the quality indicator; defaults to `defaultQualityThresholds`. */
  @property({ attribute: false }) thresholds: QualityThresholds = defaultQualityThresholds;

  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  /** Whether the speaking outline is shown. */
  get speaking(): boolean {
    return this.#speaking;
  }

  // INTERNAL STATE
  readonly #session = new SessionConsumer(this);
  readonly #t = new LocalizeController(this, () => this.strings);
  readonly #participants = new ObservableController<readonly CallParticipant[]>(this, () =>
    !this.participant && this.participantId ? this.#session.value?.participants$ : undefined,
  );
  readonly #level = new ObservableController<number>(this, () => {
    const p = this.#current();
    return p?.micOn ? this.#session.value?.audioLevel$(p.id) : undefined;
  });
  readonly #stats = new ObservableController<TrackStats>(this, () => {
    const p = this.#current();
    if (!p || this.withoutQuality) return undefined;
    const kind = this.#track() ? 'video' : 'audio';
    return this.#session.value?.stats$(p.id, kind, kind === 'video' ? this.source : undefined);
  });
  readonly #video = new TrackController(
    this,
    () => this.renderRoot.querySelector<HTMLVideoElement>('video'),
    () => this.#track(),
  );
  readonly #box = new ElementSizeController(this, '[part="base"]');
  /** The video's own width / height, once its first frame is known. */
  @state() private videoAspect = 0;
  #speaking = false;
  #speakingHold?: ReturnType<typeof setTimeout>;

  #current(): CallParticipant | undefined {
    return this.participant ?? this.#participants.value?.find((p) => p.id === this.participantId);
  }

  #track(): MediaStreamTrack | undefined {
    const p = this.#current();
    if (!p) return undefined;
    if (this.source === 'camera' && !p.cameraOn) return undefined;
    if (this.source === 'screen' && !p.screenOn) return undefined;
    const track = p.video[this.source];
    return track?.readyState === 'ended' ? undefined : track;
  }

  // LIFECYCLE
  constructor() {
    super();
    // Tells the session the size this tile needs, so the pull asks for the simulcast layer that fits.
    new VideoViewController(this, {
      target: () => {
        const p = this.#current();
        const session = this.#session.value;
        const source = this.source;
        if (!p || p.isLocal || !session?.setVideoView) return undefined;
        return {
          session,
          key: `${p.id}/${source}`,
          report: (view) => session.setVideoView?.(p.id, source, this, view),
        };
      },
      video: () => this.renderRoot.querySelector('video'),
      covers: () => this.#covers(),
      poor: () => this.#quality() === 'poor',
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#speakingHold);
    this.#speakingHold = undefined;
  }

  protected override willUpdate(): void {
    const p = this.#current();
    this.#updateSpeaking(p);
    const level = this.#quality();
    this.setCustomState('speaking', this.#speaking);
    this.setCustomState('muted', p ? !p.micOn : false);
    this.setCustomState('no-video', !this.#track());
    this.setCustomState('local', p?.isLocal ?? false);
    this.setCustomState('hand-raised', p?.handRaised ?? false);
    this.setCustomState('spotlighted', (p?.spotlighted ?? false) && this.source === 'camera');
    this.setCustomState('screen', this.source === 'screen');
    this.setCustomState('poor-network', level === 'poor');
    this.setCustomState('connection-lost', this.#lost());
  }

  #updateSpeaking(p: CallParticipant | undefined): void {
    const level = this.#level.value;
    // A shared screen never speaks: the outline belongs to the person's camera tile.
    const now = Boolean(
      this.source === 'camera' && p?.micOn && (p.speaking || (level ?? 0) >= SPEAKING_LEVEL),
    );
    if (now || !p?.micOn || !this.#speaking) {
      clearTimeout(this.#speakingHold);
      this.#speakingHold = undefined;
      this.#speaking = now;
    } else if (!this.#speakingHold && this.isConnected) {
      this.#speakingHold = setTimeout(() => {
        this.#speakingHold = undefined;
        this.#speaking = false;
        this.requestUpdate();
      }, SPEAKING_HOLD_MS);
    }
  }

  /** Whether the video covers the tile (else it is letterboxed). */
  #covers(): boolean {
    if (this.fit) return this.fit === 'cover';
    if (this.source === 'screen') return false;
    const tileAspect = this.#box.height ? this.#box.width / this.#box.height : 0;
    if (!tileAspect || !this.videoAspect) return true; // until both are known
    return Math.abs(tileAspect / this.videoAspect - 1) <= MAX_COVER_DISTORTION;
  }

  #onVideoResize = (event: Event): void => {
    const video = event.target as HTMLVideoElement;
    this.videoAspect = video.videoHeight ? video.videoWidth / video.videoHeight : 0;
  };

  /** A remote video whose bytes stopped arriving a while ago (stats sampling is needed to tell). */
  #lost(): boolean {
    const p = this.#current();
    return Boolean(p && !p.isLocal && this.#track()) && (this.#stats.value?.stalledMs ?? 0) >= LOST_AFTER_MS;
  }

  #quality() {
    return this.withoutQuality ? 'unknown' : qualityLevel(this.#stats.value, this.thresholds);
  }

  // RENDERING
  protected override render() {
    const p = this.#current();
    const name = p?.name ?? '';
    let label = name;
    if (p && this.source === 'screen') label = this.#t.term('screenOf', name);
    else if (p?.isLocal) label = this.#t.term('you', name);
    const quality = this.#quality();
    const lost = this.#lost();
    const showVideo = Boolean(this.#track()) && this.#video.hasFrames && !lost;
    const level = Math.min(1, Math.max(0, this.#level.value ?? 0));
    return html`
      <div
        part="base"
        role="group"
        aria-label=${label || nothing}
        ${cssVars({ '--_level': this.#speaking ? String(level) : '0' })}
      >
        <div
          part="initials"
          aria-hidden="true"
          ${cssVars({ '--_hue': String(hueOf(p?.id ?? '')) })}
          ?hidden=${showVideo}
        >
          <span class="avatar">${initialsOf(name)}</span>
        </div>
        ${
          lost
            ? html`<span part="lost" class="badge" role="status">${this.#t.term('connectionLost')}</span>`
            : nothing
        }
        <video
          part="video"
          class="${showVideo ? 'shown' : ''} ${this.#covers() ? 'cover' : 'contain'}"
          @resize=${this.#onVideoResize}
          @loadedmetadata=${this.#onVideoResize}
          aria-hidden="true"
          muted
          playsinline
          autoplay
          disablepictureinpicture
        ></video>
        <div part="corners"></div>
        ${
          p?.handRaised && this.source === 'camera'
            ? html`<span
                part="hand-icon"
                class="badge hand"
                role="img"
                aria-label=${this.#t.term('handRaised')}
                >${icon(handIcon)}</span
              >`
            : nothing
        }
        <div part="overlay"><slot name="overlay"></slot></div>
        <div part="status">
          ${
            p?.spotlighted && this.source === 'camera'
              ? html`<span part="spotlight-badge" class="badge">${this.#t.term('spotlighted')}</span>`
              : nothing
          }
          ${
            p?.streaming
              ? html`<span part="streaming-badge" class="badge">${this.#t.term('streaming')}</span>`
              : nothing
          }
          ${
            this.#speaking
              ? html`<span
                  part="speaking-icon"
                  class="badge"
                  role="img"
                  aria-label=${this.#t.term('speaking')}
                  >${icon(speakingIcon)}</span
                >`
              : nothing
          }
          ${
            p && !p.micOn
              ? html`<span part="muted-icon" class="badge" role="img" aria-label=${this.#t.term('micOff')}
                  >${icon(micOffIcon)}</span
                >`
              : nothing
          }
          ${
            quality !== 'unknown' && (this.qualityIndicator === 'always' || quality !== 'good')
              ? html`<span
                  part="quality"
                  class="badge ${quality}"
                  role="img"
                  aria-label=${this.#t.term('connectionQuality', this.#t.term(QUALITY_TERM[quality]))}
                  >${qualityBars(quality)}</span
                >`
              : nothing
          }
          <slot name="end"></slot>
        </div>
        <span part="name" ?hidden=${!label}><slot name="name">${label}</slot></span>
      </div>
    `;
  }
}
