// When the others' media shows on this page, and when the connection can carry media at all. The join waits
// for the first to open the camera (a long task that would delay the first frame), and stats polling waits
// for the second (getStats during the join busies the page exactly when the first frame is on its way).
import {
  EMPTY,
  animationFrames,
  distinctUntilChanged,
  fromEvent,
  map,
  merge,
  of,
  shareReplay,
  startWith,
  switchMap,
  take,
  timer,
  toArray,
  type Observable,
} from 'rxjs';
import { firstFrameDecoded$ } from './track-stats.js';

/** The peer connection while it is `connected`, else undefined. */
export function connectedPeerConnection$(
  peerConnection$: Observable<RTCPeerConnection | undefined>,
): Observable<RTCPeerConnection | undefined> {
  return peerConnection$.pipe(
    switchMap((pc) =>
      pc
        ? fromEvent(pc, 'connectionstatechange').pipe(
            startWith(undefined),
            map(() => (pc.connectionState === 'connected' ? pc : undefined)),
            distinctUntilChanged(),
          )
        : of(undefined),
    ),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
}

/** Emits once every track has media (a pulled track stays muted until its first packets arrive). */
function untilUnmuted(tracks: readonly MediaStreamTrack[]): Observable<unknown> {
  const unmuted = tracks.map((track) => (track.muted ? fromEvent(track, 'unmute').pipe(take(1)) : of(true)));
  return merge(...unmuted).pipe(toArray());
}

/**
 * Emits once the others' media shows: a video frame decoded and painted (or, with no video, every track
 * unmuted), or after `waitMs` whatever happened.
 */
export function othersShown$(
  tracks: readonly MediaStreamTrack[],
  connected$: Observable<RTCPeerConnection | undefined>,
  waitMs: number,
): Observable<unknown> {
  const videos = tracks.filter((track) => track.kind === 'video');
  const shown$ = videos.length
    ? connected$.pipe(
        switchMap((pc) => (pc ? merge(...videos.map((track) => firstFrameDecoded$(pc, track))) : EMPTY)),
        take(1),
        // The frame is painted at the next rendering opportunity; let that one pass, then leave the
        // rendering steps (a long task inside an animation frame callback would hold up the next frame).
        switchMap(() => animationFrames().pipe(take(2))),
        switchMap(() => timer(0)),
      )
    : untilUnmuted(tracks);
  return merge(shown$, timer(waitMs)).pipe(take(1));
}
