// The werift side of one session: its PeerConnection and the SDP plumbing around it (candidate
// filtering, BUNDLE and DTLS-role rules, gathering, rollback), TWCC feedback, and liveness signals.
import { randomBytes } from 'node:crypto';
import type { RTCDtlsTransport, RTCPeerConnection, RTCRtpTransceiver } from 'werift';
import { errors } from './errors.js';
import { RtpNumbering } from './rtp-numbering.js';
import {
  bundleLikeOffer,
  stripNonLoopbackCandidates,
  toCrlf,
  withOpusDtx,
  withPublishedRids,
  withSimulcastLikeOffer,
  withSessionLevelIceLite,
  type SdpSummary,
} from './sdp.js';
import type { Timers } from './timers.js';
import { TwccResponder } from './twcc.js';
import { BandwidthEstimator } from './bandwidth.js';
import { createPeerConnection, type WeriftOptions } from './werift-config.js';
import { sendSerializedRtcp, stunRequestsReceived, udpSocketsOf } from './werift-internals.js';
import { adaptPeerConnection, dtlsClosedByPeer, onDtlsRekeyed } from './werift-patches.js';
import { blackholeUntil, udpGateCounts, type UdpGateCounts } from './werift-udp-gate.js';

const GATHERING_TIMEOUT_MS = 2_000;
/** Room for bursts (a keyframe fanned out to many subscribers) while the event loop is busy; Linux's
 * default of ~208 KiB overflowed in the benchmark. The kernel caps it at net.core.[rw]mem_max. */
const SOCKET_BUFFER_BYTES = 2 * 1024 * 1024;

export interface SessionPeerEvents {
  /** The PeerConnection connected (ICE and DTLS): media can flow to the browser. */
  onConnected(): void;
  /** The browser moved to a new transport (new DTLS handshake); packets were lost. */
  onRekeyed(): void;
}

export class SessionPeer {
  readonly pc: RTCPeerConnection;
  /** Payload types and extension ids for SFU-offered m-lines. */
  readonly numbering: RtpNumbering;
  connectedOnce = false;
  /** What the browser's downlink carries, from its congestion feedback on what the SFU sends it. */
  readonly downlink = new BandwidthEstimator();
  negotiatedAt: number | undefined;
  /** The browser's last offer as it sent it (werift's copy loses the paused `~` RIDs). */
  private lastOffer = '';
  private readonly watchedTransports = new WeakSet<RTCDtlsTransport>();
  private readonly tunedSockets = new WeakSet<object>();
  private readonly disposers: (() => void)[] = [];

  constructor(
    options: WeriftOptions,
    private readonly timers: Timers,
    private readonly events: SessionPeerEvents,
  ) {
    const pc = createPeerConnection(options);
    const twcc = new TwccResponder(randomBytes(4).readUInt32BE(0), (packet) => {
      const transport = pc.dtlsTransports[0];
      if (transport?.state !== 'connected') return;
      sendSerializedRtcp(transport, packet).catch(() => {});
    });
    adaptPeerConnection(
      pc,
      (sequenceNumber, ssrc) => twcc.onPacket(sequenceNumber, ssrc),
      (results) => this.downlink.onFeedback(results, performance.now()),
    );
    this.disposers.push(
      pc.connectionStateChange.subscribe((state) => {
        if (state !== 'connected') return;
        this.connectedOnce = true;
        events.onConnected();
      }).unSubscribe,
    );
    this.pc = pc;
    this.numbering = new RtpNumbering(pc);
  }

  /** An SFU offer is out and the browser's answer (`renegotiate`) has not arrived. */
  get waitingForAnswer(): boolean {
    return this.pc.signalingState === 'have-local-offer';
  }

  transceiver(mid: string): RTCRtpTransceiver | undefined {
    return this.pc.getTransceivers().find((t) => t.mid === mid && !t.stopped);
  }

  async applyOffer(sdp: string): Promise<void> {
    if (this.waitingForAnswer) {
      throw errors.invalidSdp('The session is waiting for an answer to the SFU offer (renegotiate)');
    }
    try {
      this.lastOffer = toCrlf(sdp);
      await this.pc.setRemoteDescription({ type: 'offer', sdp: stripNonLoopbackCandidates(this.lastOffer) });
    } catch (error) {
      await this.rollback();
      throw errors.invalidSdp(`The offer could not be applied: ${describe(error)}`);
    }
  }

  /** Answers the applied browser offer; returns the SDP to send back. */
  async answer(offer: SdpSummary): Promise<string> {
    try {
      // Always the DTLS server (`a=setup:passive`): a browser that switches transports then only needs to
      // send a new ClientHello, which the patched werift re-keys on (werift-patches.ts).
      for (const transport of this.pc.dtlsTransports)
        if (transport.role === 'auto') transport.role = 'server';
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription({ type: 'answer', sdp: bundleLikeOffer(answer.sdp, offer.bundle) });
    } catch (error) {
      await this.rollback();
      throw errors.invalidSdp(`The offer could not be answered: ${describe(error)}`);
    }
    return this.finishLocalDescription();
  }

  /** Makes an SFU offer for the transceivers added since the last negotiation. */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.finishLocalDescription();
  }

  /** `renegotiate`: the browser's answer to the SFU's last offer. */
  async applyAnswer(sdp: string): Promise<void> {
    if (!this.waitingForAnswer) throw errors.invalidSdp('No SFU offer is waiting for an answer');
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp: stripNonLoopbackCandidates(toCrlf(sdp)) });
    } catch (error) {
      throw errors.invalidSdp(`The answer could not be applied: ${describe(error)}`);
    }
    this.watchTransports();
  }

  get transceiverCount(): number {
    return this.pc.getTransceivers().length;
  }

  udpPorts(): number[] {
    return this.pc.iceTransports.flatMap((t) => t.connection.localCandidates.map((c) => c.port));
  }

  /** Grows while the browser is alive: STUN checks plus SRTP/SRTCP packets received. */
  activityCount(): number {
    let count = 0;
    for (const transport of this.pc.dtlsTransports) {
      count += transport.packetsReceived + stunRequestsReceived(transport.iceTransport);
    }
    return count;
  }

  /** What the UDP gate dropped on this session's sockets (werift-udp-gate.ts). */
  udpGateCounts(): UdpGateCounts {
    const total = { strayDatagrams: 0, unauthenticatedChecks: 0 };
    for (const transport of this.pc.iceTransports) {
      const c = udpGateCounts(transport);
      total.strayDatagrams += c.strayDatagrams;
      total.unauthenticatedChecks += c.unauthenticatedChecks;
    }
    return total;
  }

  /** For tests: drops all of this session's UDP, both ways, until `until` (epoch ms). */
  blackhole(until: number): void {
    for (const transport of this.pc.iceTransports) blackholeUntil(transport, until);
  }

  /** The PeerConnection failed or closed, or the browser ended DTLS and has not handshaken again since. */
  looksBroken(): boolean {
    const state = this.pc.connectionState;
    return (
      state === 'failed' ||
      state === 'closed' ||
      this.pc.dtlsTransports.some((t) => t.state === 'closed' || t.state === 'failed' || dtlsClosedByPeer(t))
    );
  }

  async close(): Promise<void> {
    for (const dispose of this.disposers.splice(0)) dispose();
    await this.pc.close().catch(() => {});
  }

  private async finishLocalDescription(): Promise<string> {
    this.watchTransports();
    await this.waitForGathering();
    this.enlargeSocketBuffers();
    const local = this.pc.localDescription;
    if (!local?.sdp) throw errors.internal();
    // Edits go into what the browser reads, not into werift (it refuses an edited offer): DTX, which werift
    // ignores, the RIDs it leaves out of an offer, which it already routes by, and the paused layers.
    let sdp = withOpusDtx(withSessionLevelIceLite(local.sdp));
    if (local.type === 'offer') sdp = withPublishedRids(sdp, this.pc.remoteDescription?.sdp);
    else sdp = withSimulcastLikeOffer(sdp, this.lastOffer);
    return sdp;
  }

  private async rollback(): Promise<void> {
    if (this.pc.signalingState !== 'have-remote-offer') return;
    await this.pc.setRemoteDescription({ type: 'rollback', sdp: '' } as never).catch(() => {});
  }

  /** Notes the first negotiation, and notices every later DTLS handshake on each transport. */
  private watchTransports(): void {
    this.negotiatedAt ??= Date.now();
    for (const transport of this.pc.dtlsTransports) {
      if (this.watchedTransports.has(transport)) continue;
      this.watchedTransports.add(transport);
      this.disposers.push(onDtlsRekeyed(transport, () => this.events.onRekeyed()));
    }
  }

  private enlargeSocketBuffers(): void {
    for (const transport of this.pc.iceTransports) {
      for (const socket of udpSocketsOf(transport)) {
        if (this.tunedSockets.has(socket)) continue;
        this.tunedSockets.add(socket);
        try {
          socket.setRecvBufferSize(SOCKET_BUFFER_BYTES);
          socket.setSendBufferSize(SOCKET_BUFFER_BYTES);
        } catch {
          // Not bound yet or not permitted: the kernel default still works, only with less headroom.
        }
      }
    }
  }

  private async waitForGathering(): Promise<void> {
    const pc = this.pc;
    if (pc.iceTransports.length === 0 || pc.iceGatheringState === 'complete') return;
    await new Promise<void>((resolve) => {
      const cancel = this.timers.timeout(GATHERING_TIMEOUT_MS, () => done());
      const sub = pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && done());
      function done() {
        cancel();
        sub.unSubscribe();
        resolve();
      }
    });
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
