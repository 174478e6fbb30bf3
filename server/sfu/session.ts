// One Cloudflare "session": one werift PeerConnection with one browser, the tracks it publishes (local)
// and the tracks it receives (remote). SDP operations run one at a time through `run()`.
import type { RTCRtpTransceiver } from 'werift';
import { errors, itemErrors, type ItemError } from './errors.js';
import { MAX_MEDIA_SECTIONS, PULL_MEDIA_WAIT_MS } from './limits.js';
import { Publication, type ForwardingCounters } from './publication.js';
import { RemoteTrack, transceiverForSfuOffer, transceiverFromBrowserOffer } from './remote-track.js';
import type { SubscriberLink } from './forwarder.js';
import type { SessionDescriptionBody, TrackObjectBody } from './schemas.js';
import { inspectSdp, type SdpSummary } from './sdp.js';
import { SessionPeer } from './session-peer.js';
import type { Timers } from './timers.js';
import type { WeriftOptions } from './werift-config.js';
import { retireTransceiver } from './werift-internals.js';
import {
  SessionDataChannels,
  type DataChannelContext,
  type DataChannelInfo,
} from './session-data-channels.js';
import { establishDataChannels, type EstablishResponse } from './data-channel-establish.js';

/** What a session needs from the SFU around it. */
export interface SessionContext extends DataChannelContext {
  timers: Timers;
  counters: ForwardingCounters;
  werift: WeriftOptions;
  findPublication(sessionId: string, trackName: string): Publication | undefined;
  addPublication(publication: Publication): void;
  removePublication(publication: Publication): void;
}

type Status = 'active' | 'inactive';

interface LocalTrack {
  mid: string;
  publication: Publication;
}

export interface TrackInfo {
  location: 'local' | 'remote';
  mid: string;
  trackName: string;
  sessionId?: string;
  status: Status;
}

export type TrackResult = Partial<TrackObjectBody> & { mid?: string } & Partial<ItemError>;

export interface TracksResponse {
  requiresImmediateRenegotiation: boolean;
  sessionDescription?: SessionDescriptionBody;
  tracks: TrackResult[];
}

const HISTORY_LIMIT = 64;

export class Session {
  readonly createdAt = Date.now();
  /** The werift side; created by the first negotiation (`sessions/new` alone only allocates an id). */
  peer: SessionPeer | undefined;
  closed = false;
  readonly local = new Map<string, LocalTrack>();
  readonly remote = new Map<string, RemoteTrack>();
  /** The DataChannels this session publishes and subscribes to. */
  readonly dataChannels: SessionDataChannels;
  private readonly history: TrackInfo[] = [];
  /**
   * The browser's downlink as its forwarders share it: each video gets an equal part of the estimate, which
   * the automatic simulcast choice (`preferredRid: ""`) keeps within.
   */
  private readonly link: SubscriberLink = {
    budgetBps: () => {
      const estimate = this.peer?.downlink.estimateBps;
      if (estimate === undefined) return undefined;
      let videos = 0;
      for (const track of this.remote.values())
        if (track.status === 'active' && track.forwarder.publication.kind === 'video') videos++;
      return estimate / Math.max(1, videos);
    },
    sent: (transportSequence, bytes) =>
      this.peer?.downlink.onSent(transportSequence, bytes, performance.now()),
  };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly id: string,
    private readonly ctx: SessionContext,
  ) {
    this.dataChannels = new SessionDataChannels(id, ctx);
  }

  /** Runs SDP work strictly one operation at a time, as the real SFU does per session. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      if (this.closed) throw errors.sessionGone(this.id);
      return work();
    });
    this.queue = result.catch(() => {});
    return result;
  }

  // ---- publish -------------------------------------------------------------------------------------

  /** `tracks/new` with local tracks (or `autoDiscover`): apply the browser's offer and answer it. */
  async publish(offer: SessionDescriptionBody, items: TrackObjectBody[], autoDiscover: boolean) {
    const summary = inspectOffer(offer);
    return this.run(async () => {
      await this.applyOffer(offer.sdp, summary);
      const results: TrackResult[] = items.map((item) => this.publishItem(item, summary));
      if (autoDiscover) results.push(...this.discoverTracks(summary));
      const sdp = await this.peer!.answer(summary);
      return {
        requiresImmediateRenegotiation: false,
        sessionDescription: { type: 'answer', sdp },
        tracks: results,
      } satisfies TracksResponse;
    });
  }

  /** Legacy `sessions/new` with an offer: answer it; tracks come later. */
  async answerInitialOffer(offer: SessionDescriptionBody): Promise<SessionDescriptionBody> {
    const summary = inspectOffer(offer);
    return this.run(async () => {
      await this.applyOffer(offer.sdp, summary);
      return { type: 'answer', sdp: await this.peer!.answer(summary) };
    });
  }

  private publishItem(item: TrackObjectBody, summary: SdpSummary): TrackResult {
    const echo = { trackName: item.trackName, mid: item.mid };
    if (!item.trackName) return { ...echo, ...itemErrors.invalid('trackName is required') };
    if (!item.mid) return { ...echo, ...itemErrors.invalid('mid is required for a local track') };
    const section = summary.media.find((m) => m.mid === item.mid);
    if (!section || section.kind === 'application' || section.port === 0) {
      return {
        ...echo,
        ...itemErrors.invalid(`mid ${item.mid} is not an active media section of the offer`),
      };
    }
    if (section.direction !== 'sendonly' && section.direction !== 'sendrecv') {
      return { ...echo, ...itemErrors.invalid(`mid ${item.mid} does not send media`) };
    }
    const transceiver = this.transceiver(item.mid);
    if (!transceiver || transceiver.pendingRejection || transceiver.codecs.length === 0) {
      return { ...echo, ...itemErrors.invalid(`mid ${item.mid} was rejected: no codec the SFU supports`) };
    }
    const existing = this.local.get(item.mid);
    if (existing?.publication.trackName === item.trackName) return echo;
    if (existing) this.closeLocal(existing);
    if ([...this.local.values()].some((t) => t.publication.trackName === item.trackName)) {
      return {
        ...echo,
        ...itemErrors.invalid(`trackName ${item.trackName} is already published in this session`),
      };
    }
    const publication = new Publication(
      this.id,
      item.trackName,
      item.mid,
      section.kind === 'audio' ? 'audio' : 'video',
      transceiver,
      section.sendRids,
      this.ctx.counters,
    );
    this.local.set(item.mid, { mid: item.mid, publication });
    this.ctx.addPublication(publication);
    return echo;
  }

  /** `autoDiscover`: every sending m-line nobody published yet becomes a track with a random name. */
  private discoverTracks(summary: SdpSummary): TrackResult[] {
    return summary.media
      .filter(
        (m) => m.kind !== 'application' && m.port !== 0 && !this.local.has(m.mid) && !this.remote.has(m.mid),
      )
      .filter((m) => m.direction === 'sendonly' || m.direction === 'sendrecv')
      .map((m) => ({
        ...this.publishItem({ mid: m.mid, trackName: crypto.randomUUID() }, summary),
        kind: m.kind,
      }));
  }

  // ---- subscribe -----------------------------------------------------------------------------------

  /** `tracks/new` with remote tracks: SFU offer (partytracks) or, with a browser offer, an answer (WHEP). */
  async subscribe(
    items: TrackObjectBody[],
    offer: SessionDescriptionBody | undefined,
  ): Promise<TracksResponse> {
    const summary = offer ? inspectOffer(offer) : undefined;
    // Wait for media before taking the session's turn: a slow publisher must not block a close.
    const lookups = await Promise.all(items.map((item) => this.lookupPublication(item)));
    return this.run(async () => {
      if (offer && summary) await this.applyOffer(offer.sdp, summary);
      const results: TrackResult[] = [];
      const added: RemoteTrack[] = [];
      items.forEach((item, i) => {
        const found = lookups[i];
        const echo = { location: 'remote' as const, sessionId: item.sessionId, trackName: item.trackName };
        if ('errorCode' in found) return results.push({ ...echo, mid: '', ...found });
        const transceiver = this.receivingTransceiver(found, item, summary, added);
        if ('errorCode' in transceiver) return results.push({ ...echo, mid: '', ...transceiver });
        const mid = transceiver.mid ?? '';
        const track = new RemoteTrack(
          mid,
          transceiver,
          found,
          item.simulcast?.preferredRid,
          this.ctx.counters,
          this.link,
        );
        added.push(track);
        results.push({ ...echo, ...(item.simulcast ? { simulcast: item.simulcast } : {}), mid: track.mid });
      });
      if (!summary && added.length === 0) return { requiresImmediateRenegotiation: false, tracks: results };
      let sdp: string;
      try {
        sdp = summary ? await this.peer!.answer(summary) : await this.ensurePeer().offer();
      } catch (error) {
        for (const track of added) track.forwarder.stop();
        throw error;
      }
      for (const track of added) {
        track.mid = track.transceiver.mid ?? track.mid;
        track.pending = !summary;
        this.remote.set(track.mid, track);
      }
      this.startForwarding();
      let i = 0;
      for (const result of results) if (!result.errorCode) result.mid = added[i++].mid;
      return {
        requiresImmediateRenegotiation: !summary,
        sessionDescription: { type: summary ? 'answer' : 'offer', sdp },
        tracks: results,
      } satisfies TracksResponse;
    });
  }

  private async lookupPublication(item: TrackObjectBody): Promise<Publication | ItemError> {
    if (!item.sessionId || !item.trackName) return itemErrors.invalid('sessionId and trackName are required');
    const publication = this.ctx.findPublication(item.sessionId, item.trackName);
    if (!publication) return itemErrors.notFound();
    const arrived = await publication.waitForMedia(PULL_MEDIA_WAIT_MS, this.ctx.timers);
    return arrived && !publication.closed ? publication : itemErrors.empty();
  }

  /** The m-line a pull sends on: new in an SFU offer, or one of the browser's own receive m-lines. */
  private receivingTransceiver(
    publication: Publication,
    item: TrackObjectBody,
    summary: SdpSummary | undefined,
    batch: readonly RemoteTrack[],
  ): RTCRtpTransceiver | ItemError {
    const peer = this.ensurePeer();
    if (summary) {
      const taken = (mid: string) =>
        this.local.has(mid) || this.remote.has(mid) || batch.some((t) => t.mid === mid);
      return transceiverFromBrowserOffer(peer, publication, item.mid, summary, taken);
    }
    if (item.mid) return itemErrors.invalid('mid is only accepted together with a sessionDescription offer');
    if (peer.transceiverCount >= MAX_MEDIA_SECTIONS) {
      return itemErrors.invalid(`the session already has ${MAX_MEDIA_SECTIONS} m-lines`);
    }
    return transceiverForSfuOffer(peer, publication);
  }

  /** `renegotiate`: the browser's answer to the SFU's last offer. */
  async renegotiate(answer: SessionDescriptionBody): Promise<Record<string, never>> {
    if (answer.type !== 'answer') throw errors.invalidSdp('renegotiate expects an answer');
    const summary = inspectSdp(answer.sdp);
    return this.run(async () => {
      if (!this.peer) throw errors.invalidSdp('No SFU offer is waiting for an answer');
      await this.peer.applyAnswer(answer.sdp);
      for (const track of this.remote.values()) track.pending = false;
      this.retireRejected(summary);
      this.startForwarding();
      return {};
    });
  }

  /** `datachannels/establish`: brings up SCTP, answering the browser's offer or offering it. */
  async establish(offer: SessionDescriptionBody | undefined): Promise<EstablishResponse> {
    const summary = offer ? inspectOffer(offer) : undefined;
    return this.run(async () => {
      if (offer && summary) await this.applyOffer(offer.sdp, summary);
      return establishDataChannels(this.ensurePeer(), summary);
    });
  }

  // ---- update and close ------------------------------------------------------------------------------

  /** `tracks/update`: change a receiving track's simulcast layer or source. Accepted at any moment. */
  update(items: TrackObjectBody[]): TracksResponse {
    const results = items.map((item): TrackResult => {
      const echo = { mid: item.mid, sessionId: item.sessionId, trackName: item.trackName };
      const track = item.mid !== undefined ? this.remote.get(item.mid) : undefined;
      if (!track || track.status !== 'active') return { ...echo, ...itemErrors.updateMissing() };
      const sourceChanged =
        (item.trackName !== undefined && item.trackName !== track.trackName) ||
        (item.sessionId !== undefined && item.sessionId !== track.sessionId);
      if (sourceChanged) {
        const error = this.switchSource(track, item);
        if (error) return { ...echo, ...error };
      }
      const rid = item.simulcast?.preferredRid;
      if (rid !== undefined) {
        if (rid !== '' && !track.forwarder.publication.simulcast)
          return { ...echo, ...itemErrors.updateNotSimulcast() };
        track.forwarder.setPreferredRid(rid);
      }
      return { mid: track.mid, sessionId: track.sessionId, trackName: track.trackName };
    });
    return { requiresImmediateRenegotiation: false, tracks: results };
  }

  private switchSource(track: RemoteTrack, item: TrackObjectBody): ItemError | undefined {
    const publication = this.ctx.findPublication(
      item.sessionId ?? track.sessionId,
      item.trackName ?? track.trackName,
    );
    if (!publication || publication.closed) return itemErrors.notFound();
    return track.switchSource(publication, item.simulcast?.preferredRid);
  }

  /** `tracks/close`: negotiated (the browser's offer with stopped m-lines) or forced (no SDP). */
  async close(
    mids: string[],
    offer: SessionDescriptionBody | undefined,
    force: boolean,
  ): Promise<TracksResponse> {
    if (!force && !offer) throw errors.invalidParams('force: false needs the sessionDescription offer');
    const summary = offer && !force ? inspectOffer(offer) : undefined;
    return this.run(async () => {
      const known = (mid: string) => this.local.has(mid) || this.remote.get(mid)?.status === 'active';
      const results: TrackResult[] = mids.map((mid) =>
        known(mid) ? { mid } : { mid, ...itemErrors.closeMissing() },
      );
      for (const mid of mids) this.closeTrack(mid);
      if (!summary || !offer) return { requiresImmediateRenegotiation: false, tracks: results };
      await this.applyOffer(offer.sdp, summary);
      return {
        requiresImmediateRenegotiation: false,
        sessionDescription: { type: 'answer', sdp: await this.peer!.answer(summary) },
        tracks: results,
      };
    });
  }

  /** Called by the garbage collector for a publication that stopped receiving media. */
  expirePublication(publication: Publication): void {
    const track = this.local.get(publication.mid);
    if (track?.publication === publication) this.closeLocal(track);
  }

  private closeTrack(mid: string): void {
    const local = this.local.get(mid);
    if (local) this.closeLocal(local);
    const remote = this.remote.get(mid);
    if (remote) this.closeRemote(remote);
  }

  private closeLocal(track: LocalTrack): void {
    this.local.delete(track.mid);
    track.publication.close();
    this.ctx.removePublication(track.publication);
    retireTransceiver(track.publication.transceiver);
    this.remember({
      location: 'local',
      mid: track.mid,
      trackName: track.publication.trackName,
      status: 'inactive',
    });
  }

  private closeRemote(track: RemoteTrack): void {
    this.remote.delete(track.mid);
    track.stop();
    this.remember({
      location: 'remote',
      mid: track.mid,
      trackName: track.trackName,
      sessionId: track.sessionId,
      status: 'inactive',
    });
  }

  /** Tracks whose m-line the browser stopped (port 0) end, whatever API call carried the SDP. */
  private retireRejected(summary: SdpSummary): void {
    for (const m of summary.media) {
      if (m.port === 0) this.closeTrack(m.mid);
    }
  }

  private remember(info: TrackInfo): void {
    this.history.push(info);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
  }

  // ---- state ---------------------------------------------------------------------------------------

  /** `GET sessions/:id`: current and recently closed tracks. */
  describe(): { tracks: TrackInfo[]; dataChannels: DataChannelInfo[] } {
    const local: TrackInfo[] = [...this.local.values()].map((t) => ({
      location: 'local',
      mid: t.mid,
      trackName: t.publication.trackName,
      status: t.publication.closed ? 'inactive' : 'active',
    }));
    const remote: TrackInfo[] = [...this.remote.values()].map((t) => ({
      location: 'remote',
      mid: t.mid,
      trackName: t.trackName,
      sessionId: t.sessionId,
      status: t.status,
    }));
    return { tracks: [...local, ...remote, ...this.history], dataChannels: this.dataChannels.describe() };
  }

  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.dataChannels.dispose();
    for (const track of [...this.local.values()]) this.closeLocal(track);
    for (const track of [...this.remote.values()]) this.closeRemote(track);
    const peer = this.peer;
    this.peer = undefined;
    await peer?.close();
  }

  private ensurePeer(): SessionPeer {
    this.peer ??= new SessionPeer(this.ctx.werift, this.ctx.timers, {
      onConnected: () => this.startForwarding(),
      onRekeyed: () => this.onTransportRekeyed(),
    });
    return this.peer;
  }

  private transceiver(mid: string): RTCRtpTransceiver | undefined {
    return this.peer?.transceiver(mid);
  }

  /** Applies a browser offer; tracks on m-lines it stopped (port 0) end, whatever API call carried it. */
  private async applyOffer(sdp: string, summary: SdpSummary): Promise<void> {
    await this.ensurePeer().applyOffer(sdp);
    this.retireRejected(summary);
  }

  /** Pulled video can start: from the kept keyframes, or by asking the publishers for one now. */
  private startForwarding(): void {
    // Tracks still waiting for the browser's answer are held by their forwarder and start on `renegotiate`.
    for (const track of this.remote.values()) track.forwarder.onWritable();
  }

  /** The browser moved to a new transport: packets were lost in between, so every video restarts on a keyframe. */
  private onTransportRekeyed(): void {
    for (const track of this.remote.values()) track.forwarder.restartOnKeyframe();
    for (const track of this.local.values()) track.publication.restartSinksOnKeyframe();
  }
}

function inspectOffer(offer: SessionDescriptionBody): SdpSummary {
  if (offer.type !== 'offer') throw errors.invalidSdp('sessionDescription must be an offer here');
  return inspectSdp(offer.sdp);
}
