// What the camera sends: its simulcast layers and the caps on them (max bitrate, data saver), turned into the
// RTCRtpEncodingParameters partytracks applies with setParameters, so a cap changes without renegotiation.

/** One simulcast layer the camera sends. */
export interface SimulcastLayer {
  /** The RTP stream id a subscriber asks for (`preferredRid`). Every page of a room should use the same set. */
  readonly rid: string;
  /** 1 for the full picture, 2 for half its width and height, and so on. */
  readonly scaleResolutionDownBy: number;
  /** The most this layer sends, in kbps. */
  readonly maxBitrateKbps: number;
  readonly maxFramerate?: number;
}

/**
 * Full, half and quarter resolution at about 1.2 Mbps, 500 kbps and 150 kbps. Chrome sends only the upper
 * layers of a small picture (two below about 960x540, one below about 480x270).
 */
export const DEFAULT_SIMULCAST_LAYERS: readonly SimulcastLayer[] = [
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrateKbps: 1200, maxFramerate: 30 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrateKbps: 500, maxFramerate: 24 },
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrateKbps: 150, maxFramerate: 15 },
];

/** Limits on what the camera sends. */
export interface SendCaps {
  /** The most the camera sends, all layers together, in kbps. */
  readonly maxBitrateKbps?: number;
  /** Data saver: the highest layer is off. */
  readonly dataSaver?: boolean;
}

/** Below this share of a cap a layer is turned off rather than sent starved. */
const MIN_LAYER_KBPS = 30;

/**
 * The camera's encodings, highest layer first. A cap is shared from the lowest layer up: each layer gets what
 * it asks for while the cap lasts, and a layer left with (almost) nothing is turned off (`active: false`);
 * the lowest layer always sends. Data saver turns the highest layer off.
 */
export function cameraEncodings(
  layers: readonly SimulcastLayer[],
  caps: SendCaps = {},
): RTCRtpEncodingParameters[] {
  let left = caps.maxBitrateKbps && caps.maxBitrateKbps > 0 ? caps.maxBitrateKbps : Infinity;
  const encodings: RTCRtpEncodingParameters[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const lowest = i === layers.length - 1;
    const kbps = Math.min(layer.maxBitrateKbps, left);
    const off = (!lowest && kbps < MIN_LAYER_KBPS) || (caps.dataSaver && i === 0 && !lowest);
    left -= off ? 0 : kbps;
    encodings.unshift({
      ...(layers.length > 1 ? { rid: layer.rid, scaleResolutionDownBy: layer.scaleResolutionDownBy } : {}),
      active: !off,
      ...(Number.isFinite(kbps) ? { maxBitrate: Math.round(Math.max(kbps, 1) * 1000) } : {}),
      ...(layer.maxFramerate ? { maxFramerate: layer.maxFramerate } : {}),
    });
  }
  return encodings;
}

/** One layer without simulcast: the camera as captured, capped only by `SendCaps`. */
export const SINGLE_LAYER: readonly SimulcastLayer[] = [
  { rid: '', scaleResolutionDownBy: 1, maxBitrateKbps: Infinity },
];

/** A shared screen: one layer, full resolution at a low frame rate (text stays sharp). */
export const SCREEN_ENCODINGS: readonly RTCRtpEncodingParameters[] = [
  { maxBitrate: 2_500_000, maxFramerate: 8 },
];

/** The microphone goes first when the network is short (DSCP marking where the network honours it). */
export const MIC_ENCODINGS: readonly RTCRtpEncodingParameters[] = [
  { networkPriority: 'high', priority: 'high' } as RTCRtpEncodingParameters,
];
