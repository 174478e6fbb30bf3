// A real VP8 clip for synthetic publishers, so the receiving browser decodes real video while no browser
// encodes during the measurement: Chromium encodes a busy canvas (320×240 at 15 fps) once, over a loopback
// PeerConnection pair whose sender exposes its encoded frames (encoded insertable streams); the frames from
// the first keyframe on are kept. (Apart from vp8-clip.ts: werift's RTCPeerConnection must not shadow the
// browser's in the page function below.)
import type { Browser } from 'playwright-core';

export interface Vp8Clip {
  readonly fps: number;
  /** Encoded VP8 frames; the first is a keyframe. */
  readonly frames: readonly Buffer[];
}

/** Records `seconds` of the fake camera as VP8 at `maxBitrate` (bps) in a page served from `origin`. */
export async function recordVp8Clip(
  browser: Browser,
  origin: string,
  seconds = 3,
  maxBitrate = 300_000,
): Promise<Vp8Clip> {
  const page = await browser.newPage();
  try {
    // tsx names the arrow functions below with a `__name` helper the page does not have.
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(`${origin}/`);
    const fps = 15;
    const frames = (await page.evaluate(
      async ({ count, maxBitrate }) => {
        // Busy content (moving shapes over a moving gradient), so frames are the size the bitrate allows.
        const canvas = document.createElement('canvas');
        canvas.width = 320;
        canvas.height = 240;
        const ctx = canvas.getContext('2d')!;
        let tick = 0;
        const draw = () => {
          tick++;
          const gradient = ctx.createLinearGradient(0, 0, 320, 240);
          gradient.addColorStop(0, `hsl(${(tick * 7) % 360} 60% 50%)`);
          gradient.addColorStop(1, `hsl(${(tick * 7 + 180) % 360} 60% 30%)`);
          ctx.fillStyle = gradient;
          ctx.fillRect(0, 0, 320, 240);
          for (let i = 0; i < 24; i++) {
            ctx.fillStyle = `hsl(${(i * 37 + tick * 3) % 360} 70% ${30 + (i % 5) * 10}%)`;
            const x = (i * 53 + tick * (2 + (i % 4))) % 320;
            const y = (i * 29 + tick * (1 + (i % 3))) % 240;
            ctx.fillRect(x, y, 16 + (i % 7) * 6, 12 + (i % 5) * 6);
          }
          ctx.fillStyle = '#fff';
          ctx.font = '28px monospace';
          ctx.fillText(String(tick), 120, 130);
        };
        draw();
        const drawing = setInterval(draw, 1000 / 15);
        const camera = canvas.captureStream(15);
        // Only the sender exposes its frames: a receiver with encoded streams it never reads asks for keyframes.
        const a = new RTCPeerConnection({
          iceServers: [],
          encodedInsertableStreams: true,
        } as RTCConfiguration);
        const b = new RTCPeerConnection({ iceServers: [] });
        a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
        b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
        const transceiver = a.addTransceiver(camera.getVideoTracks()[0]!, {
          direction: 'sendonly',
          sendEncodings: [{ maxBitrate }],
        });
        const vp8 = RTCRtpSender.getCapabilities('video')!.codecs.filter((c) => /vp8/i.test(c.mimeType));
        transceiver.setCodecPreferences(vp8);
        type Streams = { readable: ReadableStream; writable: WritableStream };
        const streams = (
          transceiver.sender as unknown as { createEncodedStreams(): Streams }
        ).createEncodedStreams();
        const recorded: number[][] = [];
        const done = new Promise<void>((resolve) => {
          void streams.readable
            .pipeThrough(
              new TransformStream({
                transform(frame: { type: string; data: ArrayBuffer }, controller) {
                  if (recorded.length > 0 || frame.type === 'key') {
                    if (recorded.length < count) recorded.push([...new Uint8Array(frame.data)]);
                    if (recorded.length === count) resolve();
                  }
                  controller.enqueue(frame);
                },
              }),
            )
            .pipeTo(streams.writable);
        });
        b.ontrack = () => undefined;
        await a.setLocalDescription();
        await b.setRemoteDescription(a.localDescription!);
        await b.setLocalDescription();
        await a.setRemoteDescription(b.localDescription!);
        await done;
        a.close();
        b.close();
        clearInterval(drawing);
        camera.getTracks().forEach((t) => t.stop());
        return recorded;
      },
      { count: seconds * fps, maxBitrate },
    )) as number[][];
    return { fps, frames: frames.map((f) => Buffer.from(f)) };
  } finally {
    await page.close();
  }
}
