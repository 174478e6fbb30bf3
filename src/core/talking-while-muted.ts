// "Are you talking?": meters the microphone's monitor track while muted. Opening the mic and a WebAudio graph
// busies the main thread, so it starts only after the join has settled and runs only while muted (unmuted,
// the level comes from getStats instead).
import type { MediaDevice } from 'partytracks/client';
import { defer, distinctUntilChanged, map, of, switchMap, timer, type Observable } from 'rxjs';
import { trackLevel$ } from './level-meter.js';
import { SPEAKING_LEVEL } from './speaking.js';

/** When to start listening, after the join: it needs the mic and WebAudio. */
const START_AFTER_MS = 1500;
/** How long the mic must pick up speech while muted before the hint shows. */
const HINT_AFTER_MS = 600;

/** Whether the user seems to talk while `micOn$` is false; emits on every level sample. */
export function talkingWhileMuted$(mic: MediaDevice, micOn$: Observable<boolean>): Observable<boolean> {
  return defer(() => {
    let loudSince: number | undefined;
    let micOn = true;
    return timer(START_AFTER_MS).pipe(
      switchMap(() => micOn$.pipe(distinctUntilChanged())),
      switchMap((on) => {
        micOn = on;
        if (on) return of(0);
        return defer(() => {
          mic.enableSource(); // a muted join left the mic closed; listening needs it open
          return mic.localMonitorTrack$.pipe(switchMap((track) => trackLevel$(track)));
        });
      }),
      map((level) => {
        const loud = !micOn && level > SPEAKING_LEVEL * 2;
        loudSince = loud ? (loudSince ?? performance.now()) : undefined;
        return loudSince !== undefined && performance.now() - loudSince > HINT_AFTER_MS;
      }),
    );
  });
}
