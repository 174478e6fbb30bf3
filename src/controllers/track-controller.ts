import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Binds a `MediaStreamTrack` to a `<video>` or `<audio>` in the host's shadow root. After each update it sets
 * `srcObject` only when the track (or the element) changed, so re-renders never restart playback, and it releases
 * the track (`srcObject = null`) when the host disconnects. `hasFrames` turns true once the element has a decoded
 * frame to show, and false again when the track changes.
 */
export class TrackController implements ReactiveController {
  #element?: HTMLMediaElement;
  #track?: MediaStreamTrack;
  #listeners?: AbortController;
  #hasFrames = false;

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly element: () => HTMLMediaElement | null | undefined,
    private readonly track: () => MediaStreamTrack | undefined,
  ) {
    host.addController(this);
  }

  /** Whether the element shows a frame of the current track. */
  get hasFrames(): boolean {
    return this.#hasFrames;
  }

  /** The track the element plays right now. */
  get attached(): MediaStreamTrack | undefined {
    return this.#track;
  }

  hostConnected(): void {
    // Re-attach after a DOM move: the element kept its shadow root but we released the track.
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    const element = (this.host.isConnected && this.element()) || undefined;
    const track = element ? this.track() : undefined;
    if (element === this.#element && track === this.#track) return;
    this.#release();
    this.#element = element;
    this.#track = track;
    if (!element || !track) return;
    this.#listeners = new AbortController();
    const signal = this.#listeners.signal;
    const onFrame = () => this.#setHasFrames(element.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA);
    element.addEventListener('loadeddata', onFrame, { signal });
    element.addEventListener('resize', onFrame, { signal });
    element.addEventListener('emptied', onFrame, { signal });
    element.srcObject = new MediaStream([track]);
    // Muted media may autoplay; play() also covers elements that were paused by a DOM move.
    element.play()?.catch(() => {});
  }

  hostDisconnected(): void {
    this.#release();
    this.#hasFrames = false;
  }

  #release(): void {
    this.#listeners?.abort();
    this.#listeners = undefined;
    if (this.#element && this.#track) this.#element.srcObject = null;
    this.#element = undefined;
    this.#track = undefined;
    if (this.host.isConnected) this.#setHasFrames(false);
  }

  #setHasFrames(on: boolean): void {
    if (on === this.#hasFrames) return;
    this.#hasFrames = on;
    this.host.requestUpdate();
  }
}
