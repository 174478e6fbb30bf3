// Keyframe detection on the first RTP packet of a frame, without depacketizing: a subscriber may only start
// (or switch simulcast layer) on a keyframe, or the decoder shows garbage until the next one.

export interface KeyframeInfo {
  /** Frame size from the VP8 keyframe header; undefined for codecs where we don't parse it. */
  width?: number;
  height?: number;
}

/** Returns frame info when `payload` starts a VP8 keyframe (RFC 7741), else undefined. */
export function vp8KeyframeStart(payload: Uint8Array): KeyframeInfo | undefined {
  if (payload.length < 1) return undefined;
  let offset = 1;
  const first = payload[0];
  const startOfPartition = (first & 0x10) !== 0;
  const partitionId = first & 0x07;
  if (!startOfPartition || partitionId !== 0) return undefined;
  if (first & 0x80) {
    // Extended control bits: I (picture id), L (tl0picidx), T/K (tid/keyidx).
    if (payload.length < 2) return undefined;
    const ext = payload[1];
    offset = 2;
    if (ext & 0x80) offset += payload[offset] & 0x80 ? 2 : 1;
    if (ext & 0x40) offset += 1;
    if (ext & 0x30) offset += 1;
  }
  if (payload.length < offset + 10) return undefined;
  // VP8 frame tag: bit 0 of the first byte is 0 for a keyframe, followed by the start code 9d 01 2a.
  if ((payload[offset] & 0x01) !== 0) return undefined;
  if (payload[offset + 3] !== 0x9d || payload[offset + 4] !== 0x01 || payload[offset + 5] !== 0x2a) {
    return undefined;
  }
  const width = (payload[offset + 6] | (payload[offset + 7] << 8)) & 0x3fff;
  const height = (payload[offset + 8] | (payload[offset + 9] << 8)) & 0x3fff;
  return { width, height };
}

const H264_IDR = 5;
const H264_SPS = 7;
const H264_STAP_A = 24;
const H264_FU_A = 28;

/** True when `payload` starts an H264 IDR access unit (RFC 6184): IDR/SPS NAL, in a STAP-A, or an FU-A start. */
export function h264KeyframeStart(payload: Uint8Array): boolean {
  if (payload.length < 2) return false;
  const type = payload[0] & 0x1f;
  if (type === H264_IDR || type === H264_SPS) return true;
  if (type === H264_FU_A) {
    const start = (payload[1] & 0x80) !== 0;
    const inner = payload[1] & 0x1f;
    return start && (inner === H264_IDR || inner === H264_SPS);
  }
  if (type === H264_STAP_A) {
    let offset = 1;
    while (offset + 2 < payload.length) {
      const size = (payload[offset] << 8) | payload[offset + 1];
      const inner = payload[offset + 2] & 0x1f;
      if (inner === H264_IDR || inner === H264_SPS) return true;
      offset += 2 + size;
    }
  }
  return false;
}

/** Dispatches on the codec's MIME type; returns undefined when `payload` does not start a keyframe. */
export function keyframeStart(mimeType: string, payload: Uint8Array): KeyframeInfo | undefined {
  switch (mimeType.toLowerCase()) {
    case 'video/vp8':
      return vp8KeyframeStart(payload);
    case 'video/h264':
      return h264KeyframeStart(payload) ? {} : undefined;
    default:
      return undefined;
  }
}
