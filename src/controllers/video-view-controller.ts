import type { ReactiveController, ReactiveElement } from 'lit';
import type { VideoView } from '../core/layer-steering.js';

/** Where a tile's view goes: the session, for one participant's video source. */
export interface VideoViewTarget {
  readonly report: (view: VideoView | undefined) => void;
  /** The session reported to, and what it shows (`participantId/source`). */
  readonly session: object;
  readonly key: string;
}

export interface VideoViewOptions {
  /** Where to report, or undefined while the tile shows no remote video. */
  readonly target: () => VideoViewTarget | undefined;
  readonly video: () => HTMLVideoElement | null;
  /** Whether the picture covers the tile (cropped) rather than being letterboxed. */
  readonly covers: () => boolean;
  /** Whether the tile measures poor quality. */
  readonly poor: () => boolean;
}

/** A tile hidden (visibility) longer than this many frames is reported as it is. */
const MAX_UNSEEN_RETRIES = 5;

/**
 * Tells the session how a tile shows its video, so the pull asks for the layer that fits: the size in video
 * pixels (rendered size × devicePixelRatio), whether the tile is on screen in a visible page
 * (IntersectionObserver, visibilitychange), the width decoded now and whether quality is poor. Reports only
 * changes.
 */
export class VideoViewController implements ReactiveController {
  #resize?: ResizeObserver;
  #intersection?: IntersectionObserver;
  #onScreen = true;
  #video?: HTMLVideoElement;
  #last?: { target: VideoViewTarget; json: string };
  /** A report after the last update, not made yet. */
  #pending?: ReturnType<typeof setTimeout>;
  /** A report put off while the tile was unseen, and how many frames in a row it was. */
  #retry?: number;
  #retries = 0;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: VideoViewOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#resize = new ResizeObserver(this.#report);
    this.#resize.observe(this.host);
    this.#intersection = new IntersectionObserver((entries) => {
      this.#onScreen = entries[entries.length - 1]?.isIntersecting ?? this.#onScreen;
      this.#report();
    });
    this.#intersection.observe(this.host);
    document.addEventListener('visibilitychange', this.#report);
  }

  hostUpdated(): void {
    const video = this.options.video() ?? undefined;
    if (video !== this.#video) {
      this.#video?.removeEventListener('resize', this.#report);
      video?.addEventListener('resize', this.#report);
      this.#video = video;
    }
    // Measuring the tile forces a layout; inside an update, with more of the page still to render, that
    // layout is thrown away. So the report waits for the task after the update (coalesced).
    if (this.#pending !== undefined) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#report();
    });
  }

  hostDisconnected(): void {
    clearTimeout(this.#pending);
    this.#pending = undefined;
    if (this.#retry !== undefined) cancelAnimationFrame(this.#retry);
    this.#retry = undefined;
    this.#resize?.disconnect();
    this.#intersection?.disconnect();
    this.#resize = this.#intersection = undefined;
    document.removeEventListener('visibilitychange', this.#report);
    this.#video?.removeEventListener('resize', this.#report);
    this.#video = undefined;
    this.#last?.target.report(undefined);
    this.#last = undefined;
  }

  #report = (): void => {
    if (!this.host.isConnected) return;
    const target = this.options.target();
    const last = this.#last?.target;
    if (last && (last.key !== target?.key || last.session !== target.session)) {
      last.report(undefined);
      this.#last = undefined;
    }
    if (!target) return;
    // A tile kept unseen while its stage is measured (visibility: hidden, for one frame) has no real size yet:
    // reporting it would ask for a small layer and, a moment later, the right one. Its resize reports it.
    const unseen = this.host.checkVisibility?.({ visibilityProperty: true }) === false;
    if (unseen && this.#retries < MAX_UNSEEN_RETRIES) {
      this.#retry ??= requestAnimationFrame(() => {
        this.#retry = undefined;
        this.#retries++;
        this.#report();
      });
      return;
    }
    this.#retries = 0;
    const view = this.#view();
    const json = JSON.stringify(view);
    if (this.#last?.json === json) return;
    this.#last = { target, json };
    target.report(view);
  };

  #view(): VideoView {
    const { width, height } = this.host.getBoundingClientRect();
    const video = this.#video;
    const decodedWidth = video?.videoWidth ?? 0;
    const aspect = decodedWidth && video?.videoHeight ? decodedWidth / video.videoHeight : 16 / 9;
    // Covered, the picture is as wide as the tile or wider; letterboxed, it fits inside.
    const shown = this.options.covers() ? Math.max(width, height * aspect) : Math.min(width, height * aspect);
    return {
      visible: this.#onScreen && document.visibilityState !== 'hidden' && width > 0,
      neededWidth: Math.round(shown * (globalThis.devicePixelRatio || 1)),
      decodedWidth,
      poor: this.options.poor(),
    };
  }
}
