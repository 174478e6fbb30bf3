// The DataChannels of one session: those it publishes (`location: "local"`) and those it subscribes to
// (`"remote"`), each on a negotiated SCTP stream whose id the SFU picks and the browser repeats.
import type { RTCPeerConnection } from 'werift';
import {
  DataChannelPublication,
  DataChannelSubscription,
  type DataChannelCounters,
  type DataChannelStatus,
} from './data-channel-publication.js';
import type { DataChannelObjectBody } from './data-channel-schemas.js';
import { errors } from './errors.js';
import { MAX_DATA_CHANNELS_PER_SESSION } from './limits.js';
import type { Timers } from './timers.js';
import {
  createNegotiatedChannel,
  sctpNegotiated,
  usedStreamIds,
  type DeliveryPolicy,
} from './werift-datachannels.js';

/** What the session's channels need from the SFU around them. */
export interface DataChannelContext {
  readonly timers: Timers;
  readonly dataCounters: DataChannelCounters;
  readonly ackTimeoutMs: () => number;
  findDataChannel(sessionId: string, name: string): DataChannelPublication | undefined;
  addDataChannel(publication: DataChannelPublication): void;
  removeDataChannel(publication: DataChannelPublication): void;
}

export type DataChannelItemErrorCode =
  | 'repeated_local_track_error'
  | 'not_found_track_error'
  | 'close_track_error'
  | 'update_track_error'
  | 'invalid_params';

export interface DataChannelResult {
  location?: 'local' | 'remote';
  sessionId?: string;
  dataChannelName?: string;
  id?: number;
  canReply?: boolean;
  errorCode?: DataChannelItemErrorCode;
  errorDescription?: string;
}

export interface DataChannelInfo {
  location: 'local' | 'remote';
  dataChannelName: string;
  sessionId?: string;
  id: number;
  status: DataChannelStatus;
}

interface Entry {
  readonly id: number;
  readonly location: 'local' | 'remote';
  readonly name: string;
  readonly publication: DataChannelPublication;
  readonly subscription?: DataChannelSubscription;
}

const HISTORY_LIMIT = 64;
/** Negotiated ids are odd: both the browser (DTLS client) and werift open in-band channels on even ids. */
const FIRST_ID = 1;
const MAX_ID = 65533;

const itemError = (code: DataChannelItemErrorCode, why: string) => ({
  errorCode: code,
  errorDescription: why,
});

/** The policy a request names, or an error when it names two limits. Absent `ordered` means ordered. */
function policyOf(item: DataChannelObjectBody): DeliveryPolicy | string {
  if (item.maxRetransmits !== undefined && item.maxPacketLifeTime !== undefined) {
    return 'maxRetransmits and maxPacketLifeTime cannot both be set';
  }
  return {
    ordered: item.ordered ?? true,
    ...(item.maxRetransmits !== undefined ? { maxRetransmits: item.maxRetransmits } : {}),
    ...(item.maxPacketLifeTime !== undefined ? { maxPacketLifeTime: item.maxPacketLifeTime } : {}),
  };
}

const samePolicy = (a: DeliveryPolicy, b: DeliveryPolicy) =>
  a.ordered === b.ordered &&
  a.maxRetransmits === b.maxRetransmits &&
  a.maxPacketLifeTime === b.maxPacketLifeTime;

const namesPolicy = (item: DataChannelObjectBody) =>
  item.ordered !== undefined || item.maxRetransmits !== undefined || item.maxPacketLifeTime !== undefined;

export class SessionDataChannels {
  private readonly entries = new Map<number, Entry>();
  private readonly history: DataChannelInfo[] = [];
  private nextId = FIRST_ID;

  constructor(
    private readonly sessionId: string,
    private readonly ctx: DataChannelContext,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** `datachannels/new`: a batch of all-local or all-remote items. */
  create(pc: RTCPeerConnection | undefined, items: DataChannelObjectBody[]): DataChannelResult[] {
    const locations = new Set(items.map((item) => item.location ?? 'local'));
    if (locations.size > 1)
      throw errors.invalidParams('A batch must be all local or all remote DataChannels');
    if (!pc || !sctpNegotiated(pc)) {
      throw errors.invalidParams(
        'The session has no SCTP transport: call datachannels/establish (or offer m=application) first',
      );
    }
    return items.map((item) =>
      (item.location ?? 'local') === 'local' ? this.publish(pc, item) : this.subscribe(pc, item),
    );
  }

  /** `datachannels/update`: grant or revoke `canReply` on this session's subscriptions. */
  update(items: DataChannelObjectBody[]): DataChannelResult[] {
    return items.map((item) => {
      const entry = item.id !== undefined ? this.entries.get(item.id) : undefined;
      if (!entry?.subscription) {
        return { id: item.id, ...itemError('update_track_error', 'No remote DataChannel with this id') };
      }
      if (item.canReply !== undefined) entry.subscription.canReply = item.canReply;
      return { ...this.echo(entry), canReply: entry.subscription.canReply };
    });
  }

  /** `datachannels/close`. */
  close(ids: number[]): DataChannelResult[] {
    return ids.map((id) => {
      const entry = this.entries.get(id);
      if (!entry)
        return { id, ...itemError('close_track_error', "DataChannel doesn't exist or was already closed") };
      const echo = this.echo(entry);
      this.end(entry);
      return echo;
    });
  }

  describe(): DataChannelInfo[] {
    const current = [...this.entries.values()].map((entry) => ({
      ...this.echo(entry),
      status: entry.subscription?.status ?? entry.publication.status,
    })) as DataChannelInfo[];
    return [...current, ...this.history];
  }

  /** Closes every channel of the session (the session ends). */
  dispose(): void {
    for (const entry of [...this.entries.values()]) this.end(entry);
  }

  private publish(pc: RTCPeerConnection, item: DataChannelObjectBody): DataChannelResult {
    const echo = { location: 'local' as const, dataChannelName: item.dataChannelName };
    const name = item.dataChannelName;
    if (!name) return { ...echo, ...itemError('invalid_params', 'dataChannelName is required') };
    if (item.waitForAck || item.canReply || item.sessionId) {
      return {
        ...echo,
        ...itemError('invalid_params', 'sessionId, waitForAck and canReply are for remote channels'),
      };
    }
    const policy = policyOf(item);
    if (typeof policy === 'string') return { ...echo, ...itemError('invalid_params', policy) };
    if (this.ctx.findDataChannel(this.sessionId, name)) {
      return { ...echo, ...itemError('repeated_local_track_error', 'This DataChannel is already published') };
    }
    const id = this.allocateId(pc);
    if (typeof id === 'string') return { ...echo, ...itemError('invalid_params', id) };
    const publication = new DataChannelPublication(
      this.sessionId,
      name,
      policy,
      createNegotiatedChannel(pc, name, id, policy),
      this.ctx.dataCounters,
      () => this.endById(id),
    );
    this.entries.set(id, { id, location: 'local', name, publication });
    this.ctx.addDataChannel(publication);
    return { ...echo, id };
  }

  private subscribe(pc: RTCPeerConnection, item: DataChannelObjectBody): DataChannelResult {
    const echo = {
      location: 'remote' as const,
      sessionId: item.sessionId,
      dataChannelName: item.dataChannelName,
    };
    if (!item.sessionId || !item.dataChannelName) {
      return { ...echo, ...itemError('invalid_params', 'sessionId and dataChannelName are required') };
    }
    const publication = this.ctx.findDataChannel(item.sessionId, item.dataChannelName);
    if (!publication || publication.closed) {
      return {
        ...echo,
        ...itemError('not_found_track_error', 'DataChannel not found on remote peer: is it published?'),
      };
    }
    const policy = policyOf(item);
    if (typeof policy === 'string') return { ...echo, ...itemError('invalid_params', policy) };
    if (namesPolicy(item) && !samePolicy(policy, publication.policy)) {
      return {
        ...echo,
        ...itemError(
          'invalid_params',
          'The delivery policy differs from the publisher’s; omit it or repeat it',
        ),
      };
    }
    const id = this.allocateId(pc);
    if (typeof id === 'string') return { ...echo, ...itemError('invalid_params', id) };
    const channel = createNegotiatedChannel(pc, `${item.dataChannelName}-subscribed`, id, publication.policy);
    const subscription = new DataChannelSubscription(publication, channel, this.ctx.dataCounters, {
      waitForAck: item.waitForAck ?? false,
      ackTimeoutMs: this.ctx.ackTimeoutMs(),
      timers: this.ctx.timers,
      onClosed: () => this.endById(id),
    });
    if (item.canReply) subscription.canReply = true;
    this.entries.set(id, { id, location: 'remote', name: item.dataChannelName, publication, subscription });
    return { ...echo, id };
  }

  private allocateId(pc: RTCPeerConnection): number | string {
    if (this.entries.size >= MAX_DATA_CHANNELS_PER_SESSION) {
      return `the session already has ${MAX_DATA_CHANNELS_PER_SESSION} DataChannels`;
    }
    const used = usedStreamIds(pc);
    while (this.nextId <= MAX_ID && used.has(this.nextId)) this.nextId += 2;
    if (this.nextId > MAX_ID) return 'no SCTP stream id left in this session';
    const id = this.nextId;
    // Ids are never reused: the browser may still hold a channel on a closed one.
    this.nextId += 2;
    return id;
  }

  private echo(entry: Entry): Omit<DataChannelInfo, 'status'> {
    return {
      location: entry.location,
      dataChannelName: entry.name,
      ...(entry.location === 'remote' ? { sessionId: entry.publication.sessionId } : {}),
      id: entry.id,
    };
  }

  private endById(id: number): void {
    const entry = this.entries.get(id);
    if (entry) this.end(entry);
  }

  private end(entry: Entry): void {
    if (this.entries.get(entry.id) !== entry) return;
    this.entries.delete(entry.id);
    if (entry.subscription) entry.subscription.close();
    else {
      entry.publication.close();
      this.ctx.removeDataChannel(entry.publication);
    }
    this.history.push({ ...this.echo(entry), status: 'inactive' });
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
  }
}
