// Whether the local participant speaks, as announced to the room: from this page's own measurement, held
// so a breath doesn't flip it (on after a short voice, off after a pause), which also bounds the rate to a
// few changes a second.
import { distinctUntilChanged, map, of, switchMap, timer, type Observable } from 'rxjs';

/** A voice counts once it lasted this long. */
export const SPEAKING_ON_AFTER_MS = 200;
/** Speaking ends after this much silence. */
export const SPEAKING_OFF_AFTER_MS = 800;

/** `true`/`false` announcements from a raw "above the speaking level now" stream; starts silent. */
export function speakingAnnouncements$(above$: Observable<boolean>): Observable<boolean> {
  return above$.pipe(
    distinctUntilChanged(),
    switchMap((above) => timer(above ? SPEAKING_ON_AFTER_MS : SPEAKING_OFF_AFTER_MS).pipe(map(() => above))),
    distinctUntilChanged(),
    // Nothing to say until the first voice: everyone starts silent.
    switchMap((speaking, index) => (index === 0 && !speaking ? of() : of(speaking))),
  );
}
