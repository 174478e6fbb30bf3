// Every workaround for partytracks internals, in one file, so an upgrade touches one place. Written against
// partytracks 0.0.54, which package.json pins exactly: re-check each function here when that changes.
import { createAudioSink, type SinkApi } from 'partytracks/client';

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
 * Makes partytracks' close path survive an error answer. On `tracks/close` it stops the transceiver, sets a
 * local offer, then passes the answer's `sessionDescription` to `setRemoteDescription` without checking the
 * answer was one: an error leaves the offer pending and rejects a promise nobody handles. Here a description
 * without a type rolls the offer back instead, so the connection is stable for the next request.
 */
export function rollBackFailedAnswers(pc: RTCPeerConnection): void {
  const setRemoteDescription = pc.setRemoteDescription.bind(pc);
  pc.setRemoteDescription = (description?: RTCSessionDescriptionInit) => {
    if (description?.type) return setRemoteDescription(description);
    return pc.signalingState === 'have-local-offer'
      ? pc.setLocalDescription({ type: 'rollback' })
      : Promise.resolve();
  };
}

/**
 * Ends partytracks' current peer connection and SFU session so it creates new ones and re-pushes and re-pulls
 * every track: for a session the call server no longer knows. partytracks starts over on a `closed`
 * connection state, which `close()` sets without firing the event it listens for, so it is fired here.
 */
export function restartSession(pc: RTCPeerConnection): void {
  if (pc.connectionState === 'closed') return;
  pc.close();
  pc.dispatchEvent(new Event('connectionstatechange'));
}
