import { Observable } from 'rxjs';

/**
 * Loudness (0..1, RMS) of a local audio track through WebAudio, sampled every `intervalMs`. Used for the
 * microphone's monitor track, which stays live while muted, so "talking while muted" can be detected.
 */
export function trackLevel$(track: MediaStreamTrack, intervalMs = 100): Observable<number> {
  return new Observable<number>((subscriber) => {
    const context = new AudioContext();
    // A context made without a user gesture may start suspended; capture usually lets it run.
    void context.resume().catch(() => undefined);
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      subscriber.next(Math.min(1, Math.sqrt(sum / samples.length) * 4));
    }, intervalMs);
    return () => {
      clearInterval(timer);
      source.disconnect();
      void context.close().catch(() => undefined);
    };
  });
}
