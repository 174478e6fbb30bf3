// A generated H.264 clip without an encoder: Constrained Baseline, CAVLC, IDR pictures made of I_PCM
// macroblocks (raw samples, so any picture can be written directly) and P pictures where every macroblock is
// skipped (the picture stays). Each IDR moves a bright bar across a coloured field, so the clip has motion at
// the keyframe rate. Packetized for RTP as RFC 6184 describes: single NAL units, FU-A for large ones.
import { RtpHeader, RtpPacket } from 'werift';

/** Writes bits most significant first, with the Exp-Golomb codes of ITU-T H.264 §9.1. */
class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  bit(value: number): void {
    this.current = (this.current << 1) | (value & 1);
    if (++this.used === 8) {
      this.bytes.push(this.current);
      this.current = 0;
      this.used = 0;
    }
  }

  bits(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.bit((value >> i) & 1);
  }

  /** ue(v). */
  ue(value: number): void {
    const code = value + 1;
    const length = 32 - Math.clz32(code);
    this.bits(0, length - 1);
    this.bits(code, length);
  }

  /** se(v). */
  se(value: number): void {
    this.ue(value <= 0 ? -2 * value : 2 * value - 1);
  }

  get aligned(): boolean {
    return this.used === 0;
  }

  alignWithZeros(): void {
    while (!this.aligned) this.bit(0);
  }

  byte(value: number): void {
    if (this.aligned) this.bytes.push(value & 0xff);
    else this.bits(value, 8);
  }

  /** rbsp_trailing_bits(), then the RBSP. */
  finish(): Uint8Array {
    this.bit(1);
    this.alignWithZeros();
    return Uint8Array.from(this.bytes);
  }
}

/** Inserts emulation-prevention bytes (0x03 after two zeros before 0x00-0x03) and prepends the NAL header. */
function nalUnit(header: number, rbsp: Uint8Array): Uint8Array {
  const out: number[] = [header];
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

export interface ClipOptions {
  /** Multiples of 16. Default 320×240. */
  width?: number;
  height?: number;
  /** Frames per second. Default 15. */
  fps?: number;
  /** An IDR every this many frames. Default 15 (one a second). */
  keyframeInterval?: number;
}

/** One access unit: its NAL units (without start codes) and whether it is a keyframe. */
export interface AccessUnit {
  nals: Uint8Array[];
  keyframe: boolean;
}

const LOG2_MAX_FRAME_NUM = 4;

/** Generates access units frame by frame; `next(true)` forces an IDR (answering a picture-loss request). */
export class H264Clip {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  private readonly keyframeInterval: number;
  private readonly mbWidth: number;
  private readonly mbHeight: number;
  private frame = 0;
  private frameNum = 0;
  private idrId = 0;
  private sinceKeyframe = Infinity;

  constructor(options: ClipOptions = {}) {
    this.width = options.width ?? 320;
    this.height = options.height ?? 240;
    this.fps = options.fps ?? 15;
    this.keyframeInterval = options.keyframeInterval ?? 15;
    if (this.width % 16 || this.height % 16) throw new RangeError('width and height must be multiples of 16');
    this.mbWidth = this.width / 16;
    this.mbHeight = this.height / 16;
  }

  next(forceKeyframe = false): AccessUnit {
    const keyframe = forceKeyframe || this.sinceKeyframe >= this.keyframeInterval;
    const unit = keyframe
      ? { nals: [this.sps(), this.pps(), this.idr()], keyframe }
      : { nals: [this.skipPicture()], keyframe };
    this.sinceKeyframe = keyframe ? 1 : this.sinceKeyframe + 1;
    this.frame++;
    return unit;
  }

  private sps(): Uint8Array {
    const w = new BitWriter();
    w.bits(66, 8); // profile_idc: Baseline
    w.bits(0xe0, 8); // constraint_set0..2 (Constrained Baseline), reserved zeros
    w.bits(31, 8); // level_idc 3.1
    w.ue(0); // seq_parameter_set_id
    w.ue(LOG2_MAX_FRAME_NUM - 4); // log2_max_frame_num_minus4
    w.ue(2); // pic_order_cnt_type: output order is decoding order
    w.ue(1); // max_num_ref_frames
    w.bit(0); // gaps_in_frame_num_value_allowed_flag
    w.ue(this.mbWidth - 1);
    w.ue(this.mbHeight - 1);
    w.bit(1); // frame_mbs_only_flag
    w.bit(1); // direct_8x8_inference_flag
    w.bit(0); // frame_cropping_flag
    w.bit(0); // vui_parameters_present_flag
    return nalUnit(0x67, w.finish());
  }

  private pps(): Uint8Array {
    const w = new BitWriter();
    w.ue(0); // pic_parameter_set_id
    w.ue(0); // seq_parameter_set_id
    w.bit(0); // entropy_coding_mode_flag: CAVLC
    w.bit(0); // bottom_field_pic_order_in_frame_present_flag
    w.ue(0); // num_slice_groups_minus1
    w.ue(0); // num_ref_idx_l0_default_active_minus1
    w.ue(0); // num_ref_idx_l1_default_active_minus1
    w.bit(0); // weighted_pred_flag
    w.bits(0, 2); // weighted_bipred_idc
    w.se(0); // pic_init_qp_minus26
    w.se(0); // pic_init_qs_minus26
    w.se(0); // chroma_qp_index_offset
    w.bit(1); // deblocking_filter_control_present_flag
    w.bit(0); // constrained_intra_pred_flag
    w.bit(0); // redundant_pic_cnt_present_flag
    return nalUnit(0x68, w.finish());
  }

  /** An IDR picture: every macroblock I_PCM, samples straight from `sample()`. */
  private idr(): Uint8Array {
    this.frameNum = 0;
    const w = new BitWriter();
    w.ue(0); // first_mb_in_slice
    w.ue(7); // slice_type: I (all slices)
    w.ue(0); // pic_parameter_set_id
    w.bits(this.frameNum, LOG2_MAX_FRAME_NUM);
    w.ue(this.idrId); // idr_pic_id: consecutive IDRs must differ
    this.idrId = (this.idrId + 1) % 2;
    w.bit(0); // no_output_of_prior_pics_flag
    w.bit(0); // long_term_reference_flag
    w.se(0); // slice_qp_delta
    w.ue(1); // disable_deblocking_filter_idc
    const barX = Math.floor((this.frame / this.fps) * 40) % this.width;
    for (let mbY = 0; mbY < this.mbHeight; mbY++) {
      for (let mbX = 0; mbX < this.mbWidth; mbX++) {
        w.ue(25); // mb_type I_PCM
        w.alignWithZeros(); // pcm_alignment_zero_bit
        for (let y = 0; y < 16; y++)
          for (let x = 0; x < 16; x++) {
            const px = mbX * 16 + x;
            w.byte(px >= barX && px < barX + 32 ? 235 : 60 + ((mbY * 16 + y) >> 1));
          }
        for (let i = 0; i < 64; i++) w.byte(90 + mbX * 3); // Cb
        for (let i = 0; i < 64; i++) w.byte(160 - mbY * 3); // Cr
      }
    }
    return nalUnit(0x65, w.finish());
  }

  /** A P picture in which every macroblock is skipped: the previous picture, unchanged. */
  private skipPicture(): Uint8Array {
    this.frameNum = (this.frameNum + 1) % (1 << LOG2_MAX_FRAME_NUM);
    const w = new BitWriter();
    w.ue(0); // first_mb_in_slice
    w.ue(5); // slice_type: P (all slices)
    w.ue(0); // pic_parameter_set_id
    w.bits(this.frameNum, LOG2_MAX_FRAME_NUM);
    w.bit(0); // num_ref_idx_active_override_flag
    w.bit(0); // ref_pic_list_modification_flag_l0
    w.bit(0); // adaptive_ref_pic_marking_mode_flag
    w.se(0); // slice_qp_delta
    w.ue(1); // disable_deblocking_filter_idc
    w.ue(this.mbWidth * this.mbHeight); // mb_skip_run: the whole picture
    return nalUnit(0x41, w.finish());
  }
}

/** One access unit as RTP packets: one timestamp, the marker on the last; `nextSequence` numbers each. */
export function h264RtpPackets(
  unit: AccessUnit,
  payloadType: number,
  timestamp: number,
  nextSequence: () => number,
): RtpPacket[] {
  const payloads = packetizeH264(unit);
  return payloads.map((payload, i) => {
    const header = new RtpHeader({
      payloadType,
      sequenceNumber: nextSequence(),
      timestamp,
      marker: i === payloads.length - 1,
    });
    return new RtpPacket(header, Buffer.from(payload));
  });
}

/** RTP payloads for one access unit (RFC 6184): NAL units that fit go alone, bigger ones as FU-A fragments. */
export function packetizeH264(unit: AccessUnit, maxPayload = 1_100): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  for (const nal of unit.nals) {
    if (nal.length <= maxPayload) {
      payloads.push(nal);
      continue;
    }
    const indicator = (nal[0] & 0xe0) | 28;
    const type = nal[0] & 0x1f;
    for (let offset = 1; offset < nal.length; offset += maxPayload - 2) {
      const end = Math.min(offset + maxPayload - 2, nal.length);
      const header = (offset === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | type;
      const payload = new Uint8Array(2 + end - offset);
      payload[0] = indicator;
      payload[1] = header;
      payload.set(nal.subarray(offset, end), 2);
      payloads.push(payload);
    }
  }
  return payloads;
}
