import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import {
  defaultQualityThresholds,
  qualityLevel,
  type QualityLevel,
  type QualityThresholds,
} from '../../core/quality.js';
import type { CallSessionLike, TrackStats } from '../../core/types.js';
import { CallQualityChangeEvent } from '../../events/call-quality-change.js';
import { BaseElement } from '../../internal/base-element.js';
import { tokenStyles } from '../../styles/tokens.js';
import { visuallyHiddenStyles } from '../../styles/visually-hidden.js';
import type { Translation } from '../../translations/en.js';
import { qualityBars } from './quality-bars.js';
import { styles } from './stats-badge.styles.js';

const LEVELS: readonly QualityLevel[] = ['good', 'fair', 'poor', 'unknown'];
const LEVEL_TERM = {
  good: 'qualityGood',
  fair: 'qualityFair',
  poor: 'qualityPoor',
  unknown: 'qualityUnknown',
} as const satisfies Record<QualityLevel, keyof Translation>;

/**
 * The details go to the top layer, next to the button, so a tile's `overflow: hidden` can't clip them. Without
 * popovers and anchor positioning they stay an absolutely positioned box.
 */
const topLayer =
  typeof HTMLElement !== 'undefined' &&
  'showPopover' in HTMLElement.prototype &&
  typeof CSS !== 'undefined' &&
  CSS.supports('anchor-name: --a');

const formats = new Map<string, Intl.NumberFormat>();
/** A cached `Intl.NumberFormat`: one per language and options, not one per render. */
function numberFormat(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(lang, options);
    } catch {
      format = new Intl.NumberFormat('en', options);
    }
    formats.set(key, format);
  }
  return format;
}

/**
 * Shows how healthy one track's connection is, from the session's `stats$()`: a compact three-bar indicator that
 * opens, on hover or focus (or when `expanded`), into a table of packet loss, jitter, round trip, bitrate, frame
 * rate, resolution and codec. The level (`good`, `fair`, `poor`) comes from `qualityLevel()` with the `thresholds`
 * given; the worst metric decides.
 *
 * It samples only while it is on the page, not `hidden`, and the page is visible. `call-quality-change` fires once
 * per change of level: never for each sample, never for the first measurement (there is no previous level to
 * report; read `level` or style `:state()` for it), never to or from `unknown`, and never because the page set a
 * property. Changes are announced politely through a visually hidden status, at most once every 10 seconds.
 *
 * @summary Compact network-quality indicator for one participant's track, with details on hover or focus.
 * @status experimental
 * @since 0.1.0
 *
 * @slot - Optional label shown next to the bars; it becomes part of the button's accessible name.
 *
 * @fires call-quality-change - The level moved between good, fair and poor: `detail` is `{ participant, level, previous, stats }`.
 *
 * @csspart base - The wrapper around the button and the details.
 * @csspart trigger - The button showing the bars; it opens the details.
 * @csspart bars - The three-bar indicator.
 * @csspart details - The popup with the numbers.
 * @csspart table - The table of numbers.
 *
 * @cssprop --call-stats-badge-good-color - Bar colour when good. Default: var(--call-color-success, #188038).
 * @cssprop --call-stats-badge-fair-color - Bar colour when fair. Default: var(--call-color-warning, #b06000).
 * @cssprop --call-stats-badge-poor-color - Bar colour when poor. Default: var(--call-color-danger, #c5221f).
 * @cssprop --call-stats-badge-background - Background of the button and the details. Default: var(--call-color-surface, #ffffff).
 * @cssprop --call-stats-badge-radius - Corner radius of the details. Default: var(--call-radius-m, 8px).
 *
 * @cssstate good - Every metric is within the fair limits.
 * @cssstate fair - A metric is over its fair limit.
 * @cssstate poor - A metric is over its poor limit.
 * @cssstate unknown - Nothing measured yet.
 */
export class StatsBadge extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, visuallyHiddenStyles, styles];

  /**
   * Shortest time between two announcements of a level change, in milliseconds.
   * @internal
   */
  static announceIntervalMs = 10_000;

  // PUBLIC API
  /** Whose track to measure. Nothing is sampled without it. */
  @property({ attribute: 'participant-id' }) participantId = '';

  /** Which of their tracks: `video` or `audio`. */
  @property({ reflect: true }) kind: 'video' | 'audio' = 'video';

  /** For video: the `camera` or the `screen` track. */
  @property({ reflect: true }) source: 'camera' | 'screen' = 'camera';

  /** Keeps the details open. The user toggles it by pressing the button. */
  @property({ type: Boolean, reflect: true }) expanded = false;

  /** Don't announce level changes to screen readers. */
  @property({ type: Boolean, reflect: true, attribute: 'without-announcements' }) withoutAnnouncements =
    false;

  /** Hides the badge and stops sampling. */
  @property({ type: Boolean, reflect: true }) override hidden = false;

  /** Limits for fair and poor; defaults to `defaultQualityThresholds` (loss 1/5 %, jitter 30/100 ms, round trip 300/600 ms). */
  @property({ attribute: false }) thresholds: QualityThresholds = defaultQualityThresholds;

  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  /** The current level; `unknown` until something is measured. */
  get level(): QualityLevel {
    return this.#level;
  }

  /** The latest sample, kept while sampling is paused. */
  get stats(): TrackStats | undefined {
    return this.#stats;
  }

  // INTERNAL STATE
  readonly #session = new SessionConsumer(this);
  readonly #t = new LocalizeController(this, () => this.strings);
  #stats?: TrackStats;
  #level: QualityLevel = 'unknown';
  /** The last known level, to compare the next one with; unset until the first measurement. */
  #previous?: Exclude<QualityLevel, 'unknown'>;
  #pageVisible = true;
  #listeners?: AbortController;
  #hovered = false;
  #focused = false;
  /** Escape closed the hover/focus popup; it stays closed until pointer or focus leave. */
  #dismissed = false;
  #announcement = '';
  #announcedAt = -Infinity;
  #announceTimer?: ReturnType<typeof setTimeout>;

  #statsSource() {
    if (!this.isConnected || this.hidden || !this.#pageVisible || !this.participantId) return undefined;
    const session = this.#session.value;
    return this.kind === 'video'
      ? session?.stats$(this.participantId, 'video', this.source)
      : session?.stats$(this.participantId, 'audio');
  }

  // LIFECYCLE
  constructor() {
    super();
    // Subscribes while connected, switches when participant, kind, source, hidden or page visibility change.
    new ObservableController<TrackStats>(
      this,
      () => this.#statsSource(),
      (stats) => this.#handleSample(stats),
    );
  }

  override connectedCallback(): void {
    this.#listeners = new AbortController();
    this.#pageVisible = document.visibilityState !== 'hidden';
    document.addEventListener('visibilitychange', () => this.#handleVisibility(), {
      signal: this.#listeners.signal,
    });
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listeners?.abort();
    this.#listeners = undefined;
    clearTimeout(this.#announceTimer);
    this.#announceTimer = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (
      changed.has('participantId') ||
      changed.has('kind') ||
      changed.has('source') ||
      changed.has('session')
    ) {
      // Another track: its first sample is a first measurement again, not a change.
      if (this.hasUpdated) this.#reset();
    } else if (changed.has('thresholds')) {
      // New limits re-grade the last sample silently: the page asked for it.
      this.#level = qualityLevel(this.#stats, this.thresholds);
      if (this.#level !== 'unknown') this.#previous = this.#level;
    }
    for (const level of LEVELS) this.setCustomState(level, level === this.#level);
  }

  protected override updated(): void {
    const details = this.renderRoot.querySelector<HTMLElement>('#details');
    if (!topLayer || !details?.isConnected) return;
    const open = !details.hidden;
    if (open !== details.matches(':popover-open')) details.togglePopover(open);
  }

  #reset(): void {
    this.#stats = undefined;
    this.#level = 'unknown';
    this.#previous = undefined;
  }

  // HANDLERS
  #handleSample(stats: TrackStats): void {
    this.#stats = stats;
    const level = qualityLevel(stats, this.thresholds);
    this.#level = level;
    for (const l of LEVELS) this.setCustomState(l, l === level);
    if (level === 'unknown') return;
    const previous = this.#previous;
    this.#previous = level;
    if (!previous || previous === level) return;
    this.dispatchEvent(
      new CallQualityChangeEvent({
        participant: this.participantId || undefined,
        level,
        previous,
        stats,
      }),
    );
    this.#announce(this.#t.term('connectionQuality', this.#t.term(LEVEL_TERM[level])));
  }

  #handleVisibility(): void {
    this.#pageVisible = document.visibilityState !== 'hidden';
    this.requestUpdate();
  }

  #announce(text: string): void {
    if (this.withoutAnnouncements) return;
    clearTimeout(this.#announceTimer);
    this.#announceTimer = undefined;
    const wait = this.#announcedAt + StatsBadge.announceIntervalMs - performance.now();
    if (wait <= 0) this.#say(text);
    else this.#announceTimer = setTimeout(() => this.#say(text), wait);
  }

  #say(text: string): void {
    this.#announceTimer = undefined;
    if (text === this.#announcement) return;
    this.#announcement = text;
    this.#announcedAt = performance.now();
    this.requestUpdate();
  }

  #handleTriggerClick(): void {
    this.expanded = !this.expanded;
    this.#dismissed = false;
  }

  #handleKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.#open()) return;
    event.stopPropagation();
    this.expanded = false;
    this.#dismissed = true;
    this.requestUpdate();
  }

  #handlePointer(inside: boolean): void {
    this.#hovered = inside;
    if (!inside && !this.#focused) this.#dismissed = false;
    this.requestUpdate();
  }

  #handleFocus(event: FocusEvent, inside: boolean): void {
    const base = event.currentTarget as HTMLElement;
    if (!inside && base.contains(event.relatedTarget as Node | null)) return;
    this.#focused = inside;
    if (!inside && !this.#hovered) this.#dismissed = false;
    this.requestUpdate();
  }

  #open(): boolean {
    return this.expanded || ((this.#hovered || this.#focused) && !this.#dismissed);
  }

  // RENDERING
  protected override render() {
    const level = this.#level;
    const open = this.#open();
    const summary = this.#t.term('connectionQuality', this.#t.term(LEVEL_TERM[level]));
    return html`
      <div
        part="base"
        @pointerenter=${() => this.#handlePointer(true)}
        @pointerleave=${() => this.#handlePointer(false)}
        @focusin=${(e: FocusEvent) => this.#handleFocus(e, true)}
        @focusout=${(e: FocusEvent) => this.#handleFocus(e, false)}
        @keydown=${this.#handleKeydown}
      >
        <button
          part="trigger"
          type="button"
          class=${level}
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls="details"
          @click=${this.#handleTriggerClick}
        >
          <span part="bars">${qualityBars(level)}</span>
          <slot></slot>
          <span class="visually-hidden">${summary}</span>
        </button>
        <div part="details" id="details" popover=${topLayer ? 'manual' : nothing} ?hidden=${!open}>
          ${open ? this.#renderDetails(summary) : nothing}
        </div>
        <span class="visually-hidden" role="status">${this.#announcement}</span>
      </div>
    `;
  }

  #renderDetails(summary: string) {
    const s = this.#stats ?? {};
    const lang = this.#t.lang();
    const none = '—';
    const num = (value: number | undefined, options: Intl.NumberFormatOptions) =>
      value === undefined || !Number.isFinite(value) ? none : numberFormat(lang, options).format(value);
    const ms = (value?: number) =>
      num(value, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 });
    const bitrate =
      s.bitrateKbps !== undefined && s.bitrateKbps >= 1000
        ? num(s.bitrateKbps / 1000, { style: 'unit', unit: 'megabit-per-second', maximumFractionDigits: 1 })
        : num(s.bitrateKbps, { style: 'unit', unit: 'kilobit-per-second', maximumFractionDigits: 0 });
    const video = this.kind === 'video';
    const rows: [keyof Translation, string][] = [
      [
        'packetLoss',
        num(s.packetLossPercent === undefined ? undefined : s.packetLossPercent / 100, {
          style: 'percent',
          maximumFractionDigits: 1,
        }),
      ],
      ['jitter', ms(s.jitterMs)],
      ['roundTripTime', ms(s.roundTripTimeMs)],
      ['bitrate', bitrate],
    ];
    if (video) {
      const fps = num(s.framesPerSecond, { maximumFractionDigits: 0 });
      rows.push(['frameRate', fps === none ? none : this.#t.term('framesPerSecond', fps)]);
      const plain = { useGrouping: false, maximumFractionDigits: 0 };
      rows.push([
        'resolution',
        s.width && s.height ? `${num(s.width, plain)} × ${num(s.height, plain)}` : none,
      ]);
    }
    rows.push(['codec', s.codec ? s.codec.replace(/^(video|audio)\//i, '') : none]);
    return html`<table part="table">
      <caption>
        ${summary}
      </caption>
      <tbody>
        ${rows.map(
          ([key, value]) =>
            html`<tr>
              <th scope="row">${this.#t.term(key)}</th>
              <td>${value}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }
}
