// Every workaround for partytracks internals, in one file, so an upgrade touches one place. Written against
// partytracks 0.0.54, which package.json pins exactly: re-check each function here when that changes.
import { createAudioSink, type PartyTracks, type SinkApi } from 'partytracks/client';
import { Observable } from 'rxjs';

/** The partytracks version this file was checked against. */
export const PARTYTRACKS_VERSION = '0.0.54';

export interface AudioPlayback {
  /** partytracks' sink: attach pulled audio tracks to it. */
  readonly sink: SinkApi;
  /** Retries playback; call it from a user gesture. Resolves with whether audio now plays. */
  resume(): Promise<boolean>;
}

/**
 * partytracks' audio sink on an `<audio>` element whose playback refusals are reported, not thrown.
 * partytracks calls `play()` without handling a refusal: wrapping it keeps an autoplay block from becoming an
 * unhandled rejection and tells the UI to ask for a click (`onBlocked(true)`).
 */
export function createAudioPlayback(onBlocked: (blocked: boolean) => void): AudioPlayback {
  const audio = document.createElement('audio');
  audio.autoplay = true;
  const play = audio.play.bind(audio);
  audio.play = () => {
    const playing = play();
    playing.then(
      () => onBlocked(false),
      (error: unknown) => {
        if ((error as { name?: string }).name === 'NotAllowedError') onBlocked(true);
      },
    );
    return playing;
  };
  return {
    sink: createAudioSink({ audioElement: audio }),
    resume: () =>
      play().then(
        () => (onBlocked(false), true),
        () => (onBlocked(true), false),
      ),
  };
}

/**
 * The `errorCode` of every error answer partytracks received from the call server, read from its request
 * history (the `logentry` event carries no entry despite its typing: the newest entry is the one).
 */
export function proxyErrorCodes$(partyTracks: PartyTracks): Observable<string> {
  return new Observable<string>((subscriber) => {
    const onLog = () => {
      const entry = partyTracks.history.entries.at(-1);
      const body = entry?.body as { errorCode?: unknown } | undefined;
      if (entry?.type === 'response' && typeof body?.errorCode === 'string') subscriber.next(body.errorCode);
    };
    partyTracks.history.addEventListener('logentry', onLog);
    return () => partyTracks.history.removeEventListener('logentry', onLog);
  });
}
