// The SFU's state: sessions, publications, and the garbage collector that ends what browsers abandon
// (partytracks never closes a session; it makes a new one on every reconnect).
import { randomUUID } from 'node:crypto';
import { errors } from './errors.js';
import {
  dataChannelKey,
  type DataChannelCounters,
  type DataChannelPublication,
} from './data-channel-publication.js';
import { collectGarbage, type SessionHealth } from './gc.js';
import { DATA_CHANNEL_ACK_TIMEOUT_MS, GC_INTERVAL_MS } from './limits.js';
import { publicationKey, type ForwardingCounters, type Publication } from './publication.js';
import { Session, type SessionContext } from './session.js';
import { Timers } from './timers.js';
import type { WeriftOptions } from './werift-config.js';
import { hasSctpAssociation, openChannelCount } from './werift-datachannels.js';
import { applyWeriftPatches } from './werift-patches.js';
import type { UdpGateCounts } from './werift-udp-gate.js';

export interface SfuStats {
  sessions: number;
  publications: number;
  transceivers: number;
  forwarders: number;
  timers: number;
  packetsIn: number;
  packetsOut: number;
  /** Published DataChannels. */
  dataChannelPublications: number;
  /** Open SCTP streams on all sessions, whoever opened them. */
  dataChannels: number;
  /** SCTP associations not yet closed. */
  sctpAssociations: number;
  /** DataChannel messages received, forwarded and dropped (over the size limit). */
  messagesIn: number;
  messagesOut: number;
  messagesDropped: number;
  /** Datagrams and ICE checks dropped because no ICE-verified peer sent them, since the SFU started. */
  udpGate: UdpGateCounts;
}

export class LocalSfuState {
  readonly timers = new Timers();
  readonly counters: ForwardingCounters = { packetsIn: 0, packetsOut: 0 };
  readonly dataCounters: DataChannelCounters = { messagesIn: 0, messagesOut: 0, messagesDropped: 0 };
  /** How long a `waitForAck` subscriber may stay silent (tests shorten it). */
  dataChannelAckTimeoutMs = DATA_CHANNEL_ACK_TIMEOUT_MS;
  private readonly sessions = new Map<string, Session>();
  private readonly health = new Map<string, SessionHealth>();
  private readonly publications = new Map<string, Publication>();
  private readonly dataChannelPublications = new Map<string, DataChannelPublication>();
  private stopSweeping: (() => void) | undefined;
  private readonly closedListeners = new Set<(sessionId: string) => void>();
  /** What the UDP gate dropped on sessions that have since closed. */
  private readonly closedGateCounts: UdpGateCounts = { strayDatagrams: 0, unauthenticatedChecks: 0 };
  private readonly context: SessionContext;

  constructor(werift: WeriftOptions = {}) {
    applyWeriftPatches();
    this.context = {
      timers: this.timers,
      counters: this.counters,
      werift,
      findPublication: (sessionId, trackName) => this.publications.get(publicationKey(sessionId, trackName)),
      addPublication: (p) => this.publications.set(p.key, p),
      removePublication: (p) => {
        if (this.publications.get(p.key) === p) this.publications.delete(p.key);
      },
      dataCounters: this.dataCounters,
      ackTimeoutMs: () => this.dataChannelAckTimeoutMs,
      findDataChannel: (sessionId, name) => this.dataChannelPublications.get(dataChannelKey(sessionId, name)),
      addDataChannel: (p) => this.dataChannelPublications.set(p.key, p),
      removeDataChannel: (p) => {
        if (this.dataChannelPublications.get(p.key) === p) this.dataChannelPublications.delete(p.key);
      },
    };
  }

  createSession(): Session {
    const session = new Session(randomUUID().replaceAll('-', ''), this.context);
    this.sessions.set(session.id, session);
    this.health.set(session.id, { lastActivity: -1, lastActivityAt: Date.now() });
    this.stopSweeping ??= this.timers.interval(GC_INTERVAL_MS, () => this.sweep());
    return session;
  }

  /** The session, or `session_error` 410 for an unknown, expired or closed one. */
  session(id: string): Session {
    const session = this.sessions.get(id);
    if (!session || session.closed) throw errors.sessionGone(id);
    return session;
  }

  /** Calls `listener` with the id of every session that ends (closed or garbage-collected). */
  onSessionClosed(listener: (sessionId: string) => void): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  async closeSession(session: Session): Promise<void> {
    const wasOpen = this.sessions.delete(session.id);
    if (wasOpen) for (const listener of this.closedListeners) listener(session.id);
    this.health.delete(session.id);
    if (wasOpen) addCounts(this.closedGateCounts, session.peer?.udpGateCounts());
    await session.dispose();
    if (this.sessions.size === 0) {
      this.stopSweeping?.();
      this.stopSweeping = undefined;
    }
  }

  stats(): SfuStats {
    let transceivers = 0;
    for (const s of this.sessions.values()) transceivers += s.peer?.transceiverCount ?? 0;
    let dataChannels = 0;
    let sctpAssociations = 0;
    for (const s of this.sessions.values()) {
      if (!s.peer) continue;
      dataChannels += openChannelCount(s.peer.pc);
      if (hasSctpAssociation(s.peer.pc)) sctpAssociations++;
    }
    let forwarders = 0;
    for (const p of this.publications.values()) forwarders += p.sinkCount;
    const udpGate = { ...this.closedGateCounts };
    for (const s of this.sessions.values()) addCounts(udpGate, s.peer?.udpGateCounts());
    return {
      sessions: this.sessions.size,
      publications: this.publications.size,
      transceivers,
      forwarders,
      timers: this.timers.size,
      ...this.counters,
      dataChannelPublications: this.dataChannelPublications.size,
      dataChannels,
      sctpAssociations,
      ...this.dataCounters,
      udpGate,
    };
  }

  /**
   * For tests: drops all UDP of session `id`, both ways, for `ms` (0 ends it early), as a network that loses
   * the participant would. `session_error` for an unknown session, `invalid_params` before it negotiated.
   */
  blackhole(id: string, ms: number): void {
    const peer = this.session(id).peer;
    if (!peer) throw errors.invalidParams('The session has no connection yet');
    peer.blackhole(Date.now() + ms);
  }

  udpPorts(): number[] {
    return [...this.sessions.values()].flatMap((s) => s.peer?.udpPorts() ?? []);
  }

  /** One garbage-collection pass; exposed so tests can run it without waiting for the interval. */
  sweep(now = Date.now()): void {
    const verdict = collectGarbage(this.sessions.values(), this.publications.values(), this.health, now);
    for (const session of verdict.deadSessions) void this.closeSession(session);
    for (const publication of verdict.idlePublications) {
      this.sessions.get(publication.sessionId)?.expirePublication(publication);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.closeSession(s)));
    this.timers.clearAll();
    this.stopSweeping = undefined;
  }
}

function addCounts(total: UdpGateCounts, more: UdpGateCounts | undefined): void {
  total.strayDatagrams += more?.strayDatagrams ?? 0;
  total.unauthenticatedChecks += more?.unauthenticatedChecks ?? 0;
}
