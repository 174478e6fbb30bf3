// Browser side of the tiles benchmark, injected into both pages (widget and bare) before their own scripts, so
// it costs the same in both. It only collects the page's PeerConnections; the harness asks for a snapshot of
// the remote videos before and after each measuring window, outside the window, because finding the videos
// walks every shadow root.

export interface TilesSnapshot {
  /** performance.now() when taken. */
  at: number;
  /** Remote videos showing a picture (`videoWidth > 0`). */
  playing: number;
  /** Sums of `getVideoPlaybackQuality()` over those videos. */
  droppedVideoFrames: number;
  totalVideoFrames: number;
  /** Sums of inbound-rtp video stats over every PeerConnection. */
  framesDecoded: number;
  framesDropped: number;
  freezeCount: number;
  totalFreezesDuration: number;
  /** The rendered size of the first remote video, CSS px (parity between the two pages). */
  firstVideoSize: string;
}

export interface TilesProbe {
  snapshot(): Promise<TilesSnapshot>;
  errors: string[];
}

declare global {
  interface Window {
    __tiles: TilesProbe;
  }
}

const pcs: RTCPeerConnection[] = [];
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    pcs.push(this);
  }
};

function allVideos(root: Document | ShadowRoot, into: HTMLVideoElement[] = []): HTMLVideoElement[] {
  for (const element of root.querySelectorAll('*')) {
    if (element instanceof HTMLVideoElement) into.push(element);
    if (element.shadowRoot) allVideos(element.shadowRoot, into);
  }
  return into;
}

function remoteVideos(): HTMLVideoElement[] {
  const remote = new Set<MediaStreamTrack>();
  for (const pc of pcs) for (const receiver of pc.getReceivers()) remote.add(receiver.track);
  return allVideos(document).filter(
    (video) =>
      video.srcObject instanceof MediaStream &&
      video.srcObject.getVideoTracks().some((track) => remote.has(track) && track.readyState === 'live'),
  );
}

window.__tiles = {
  errors: [],
  async snapshot() {
    const videos = remoteVideos().filter((video) => video.videoWidth > 0);
    const snapshot: TilesSnapshot = {
      at: performance.now(),
      playing: videos.length,
      droppedVideoFrames: 0,
      totalVideoFrames: 0,
      framesDecoded: 0,
      framesDropped: 0,
      freezeCount: 0,
      totalFreezesDuration: 0,
      firstVideoSize: videos[0]
        ? `${Math.round(videos[0].getBoundingClientRect().width)}x${Math.round(videos[0].getBoundingClientRect().height)}`
        : '-',
    };
    for (const video of videos) {
      const quality = video.getVideoPlaybackQuality();
      snapshot.droppedVideoFrames += quality.droppedVideoFrames;
      snapshot.totalVideoFrames += quality.totalVideoFrames;
    }
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const s of (await pc.getStats()).values()) {
        if (s.type !== 'inbound-rtp' || s.kind !== 'video') continue;
        snapshot.framesDecoded += s.framesDecoded ?? 0;
        snapshot.framesDropped += s.framesDropped ?? 0;
        snapshot.freezeCount += s.freezeCount ?? 0;
        snapshot.totalFreezesDuration += s.totalFreezesDuration ?? 0;
      }
    }
    return snapshot;
  },
};
