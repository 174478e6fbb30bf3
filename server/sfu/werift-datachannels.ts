// werift's SCTP and DataChannel API as the SFU uses it, behind named functions: negotiated channels by id,
// the SFU-opened `server-events` channel, and the association's state. Re-check on a werift upgrade.
import type { RTCDataChannel, RTCPeerConnection } from 'werift';

/** The delivery policy of a channel (RFC 8831 §6.1): reliable when both limits are absent. */
export interface DeliveryPolicy {
  readonly ordered: boolean;
  readonly maxRetransmits?: number;
  readonly maxPacketLifeTime?: number;
}

/** One SCTP stream on a session, with only what the SFU needs. */
export interface SctpChannel {
  readonly id: number;
  /** Open: messages can be sent. */
  readonly isOpen: boolean;
  send(data: string | Buffer): void;
  close(): void;
  /** Subscribes to messages; returns the unsubscribe. */
  onMessage(listener: (data: string | Buffer) => void): () => void;
  /** Subscribes to `open`/`closed` changes; returns the unsubscribe. */
  onState(listener: (state: 'open' | 'closed') => void): () => void;
}

interface SctpTransportInternals {
  dataChannels?: Record<string, RTCDataChannel>;
  sctp?: { associationState?: number };
}

function sctpOf(pc: RTCPeerConnection): SctpTransportInternals | undefined {
  return (pc as unknown as { sctpTransport?: SctpTransportInternals }).sctpTransport;
}

/**
 * Whether the session's descriptions carry an `m=application` (SCTP) section both sides agreed on: the remote
 * SCTP port comes from the browser's side of a completed negotiation. Another negotiation under way (the SFU's
 * offer for a pull, awaiting its answer) leaves that association as it was.
 */
export function sctpNegotiated(pc: RTCPeerConnection): boolean {
  const remote = (pc as unknown as { sctpRemotePort?: number }).sctpRemotePort;
  return !!sctpOf(pc) && !!remote;
}

/** SCTP stream ids in use on this session (browser- and SFU-opened alike). */
export function usedStreamIds(pc: RTCPeerConnection): Set<number> {
  return new Set(Object.keys(sctpOf(pc)?.dataChannels ?? {}).map(Number));
}

/** Open DataChannels on this session, whoever opened them (for stats and the cleanup check). */
export function openChannelCount(pc: RTCPeerConnection): number {
  return Object.values(sctpOf(pc)?.dataChannels ?? {}).filter((c) => c.readyState !== 'closed').length;
}

/** Whether an SCTP association exists (not yet closed) on this session. */
export function hasSctpAssociation(pc: RTCPeerConnection): boolean {
  const state = sctpOf(pc)?.sctp?.associationState;
  // werift's SCTP_STATE: CLOSED = 1.
  return state !== undefined && state !== 1;
}

/** A channel both ends create with the same id (`negotiated: true`); no DCEP message is sent. */
export function createNegotiatedChannel(
  pc: RTCPeerConnection,
  label: string,
  id: number,
  policy: DeliveryPolicy,
): SctpChannel {
  const channel = pc.createDataChannel(label, {
    negotiated: true,
    id,
    ordered: policy.ordered,
    maxRetransmits: policy.maxRetransmits,
    maxPacketLifeTime: policy.maxPacketLifeTime,
  });
  return wrap(channel);
}

/**
 * Opens the reserved `server-events` channel in-band (DCEP), as Cloudflare's SFU does on `establish`. The
 * SCTP transport is created here when the session has none, so the next offer or answer carries
 * `m=application`. The id is known once the association is up (werift picks it then).
 */
export function openServerEvents(pc: RTCPeerConnection): SctpChannel {
  return wrap(pc.createDataChannel('server-events', { ordered: true }));
}

function wrap(channel: RTCDataChannel): SctpChannel {
  return {
    get id() {
      return channel.id;
    },
    get isOpen() {
      return channel.readyState === 'open';
    },
    send: (data) => channel.send(data),
    close: () => {
      try {
        channel.close();
      } catch {
        // Already closed, or the association went away first.
      }
    },
    onMessage: (listener) => channel.onMessage.subscribe(listener).unSubscribe,
    onState: (listener) =>
      channel.stateChanged.subscribe((state) => {
        if (state === 'open' || state === 'closed') listener(state);
      }).unSubscribe,
  };
}

/** The id werift gives its next in-band channel: the lowest free even id (it opens as the SCTP server). */
export function nextInBandId(pc: RTCPeerConnection): number {
  const used = usedStreamIds(pc);
  let id = 0;
  while (used.has(id)) id += 2;
  return id;
}
