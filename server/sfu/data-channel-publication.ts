// A published DataChannel: the messages one session sends on one named channel, fanned out to every
// subscriber. Replies come back only from the one subscriber holding `canReply`.
import { MAX_DATA_CHANNEL_MESSAGE_BYTES } from './limits.js';
import type { Timers } from './timers.js';
import type { DeliveryPolicy, SctpChannel } from './werift-datachannels.js';

export type DataChannelStatus = 'initializing' | 'active' | 'inactive';

export interface DataChannelCounters {
  messagesIn: number;
  messagesOut: number;
  /** Messages over MAX_DATA_CHANNEL_MESSAGE_BYTES, dropped. */
  messagesDropped: number;
}

export const dataChannelKey = (sessionId: string, name: string) => `${sessionId}/${name}`;

function byteLength(data: string | Buffer): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}

/** Status from the SCTP channel: `initializing` until the association opens it. */
function statusOf(channel: SctpChannel, closed: boolean): DataChannelStatus {
  if (closed) return 'inactive';
  return channel.isOpen ? 'active' : 'initializing';
}

export class DataChannelPublication {
  readonly subscribers = new Set<DataChannelSubscription>();
  /** The one subscriber whose messages go back to the publisher. */
  replier: DataChannelSubscription | undefined;
  closed = false;
  private readonly disposers: (() => void)[] = [];

  constructor(
    readonly sessionId: string,
    readonly name: string,
    readonly policy: DeliveryPolicy,
    readonly channel: SctpChannel,
    private readonly counters: DataChannelCounters,
    onClosedByBrowser: () => void,
  ) {
    this.disposers.push(
      channel.onMessage((data) => this.fanOut(data)),
      channel.onState((state) => state === 'closed' && !this.closed && onClosedByBrowser()),
    );
  }

  get key(): string {
    return dataChannelKey(this.sessionId, this.name);
  }

  get status(): DataChannelStatus {
    return statusOf(this.channel, this.closed);
  }

  /** A subscriber's reply, when it holds `canReply`. */
  reply(from: DataChannelSubscription, data: string | Buffer): void {
    if (this.replier !== from || this.closed || !this.channel.isOpen) return;
    if (byteLength(data) > MAX_DATA_CHANNEL_MESSAGE_BYTES) {
      this.counters.messagesDropped++;
      return;
    }
    send(this.channel, data, this.counters);
  }

  /** Ends the publication and every subscription to it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const dispose of this.disposers.splice(0)) dispose();
    this.channel.close();
    for (const subscriber of [...this.subscribers]) subscriber.close();
    this.replier = undefined;
  }

  private fanOut(data: string | Buffer): void {
    this.counters.messagesIn++;
    if (byteLength(data) > MAX_DATA_CHANNEL_MESSAGE_BYTES) {
      this.counters.messagesDropped++;
      return;
    }
    for (const subscriber of this.subscribers) subscriber.deliver(data);
  }
}

export interface SubscriptionOptions {
  readonly waitForAck: boolean;
  readonly ackTimeoutMs: number;
  readonly timers: Timers;
  /** Called once when the subscription ends, whatever ended it. */
  readonly onClosed: () => void;
}

export class DataChannelSubscription {
  closed = false;
  /** Delivery starts once the subscriber's first message (the ack) arrived, with `waitForAck`. */
  acknowledged: boolean;
  private readonly disposers: (() => void)[] = [];

  constructor(
    readonly publication: DataChannelPublication,
    readonly channel: SctpChannel,
    private readonly counters: DataChannelCounters,
    private readonly options: SubscriptionOptions,
  ) {
    this.acknowledged = !options.waitForAck;
    publication.subscribers.add(this);
    this.disposers.push(
      channel.onMessage((data) => this.onMessage(data)),
      channel.onState((state) => state === 'closed' && this.close()),
    );
    if (options.waitForAck)
      this.disposers.push(options.timers.timeout(options.ackTimeoutMs, () => this.close()));
  }

  get status(): DataChannelStatus {
    return statusOf(this.channel, this.closed);
  }

  get canReply(): boolean {
    return this.publication.replier === this;
  }

  set canReply(value: boolean) {
    if (value) this.publication.replier = this;
    else if (this.publication.replier === this) this.publication.replier = undefined;
  }

  deliver(data: string | Buffer): void {
    if (!this.acknowledged || this.closed || !this.channel.isOpen) return;
    send(this.channel, data, this.counters);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const dispose of this.disposers.splice(0)) dispose();
    this.publication.subscribers.delete(this);
    if (this.publication.replier === this) this.publication.replier = undefined;
    this.channel.close();
    this.options.onClosed();
  }

  private onMessage(data: string | Buffer): void {
    if (!this.acknowledged) {
      // The ack is consumed, never forwarded: the channel stays one-way unless canReply says otherwise.
      this.acknowledged = true;
      for (const dispose of this.disposers.splice(2)) dispose();
      return;
    }
    this.publication.reply(this, data);
  }
}

function send(channel: SctpChannel, data: string | Buffer, counters: DataChannelCounters): void {
  try {
    channel.send(data);
    counters.messagesOut++;
  } catch {
    // The receiver's max-message-size is smaller, or the association is closing: drop, as SCTP would.
    counters.messagesDropped++;
  }
}
