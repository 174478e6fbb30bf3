// The presence state machine of one room: roster, publications, participant state and liveness.
// Pure: it takes events (join, message, disconnect, sweep) and returns effects; time comes from a Clock.
//
// Built for a broadcast to many viewers: members are either *listed* (may publish, moderate or chat: everyone
// sees them join, leave and change) or *viewers* (the audience: only counted). A viewer's join or leave is sent
// to nobody; the count goes to everyone at most once a second, so the work of a join does not grow with the
// audience. A moderator may page through the viewers with `list-audience`.
import { PresenceCloseCode } from '../../src/protocol/close-codes.js';
import { PresenceErrorCode } from '../../src/protocol/error-codes.js';
import type {
  ClientMessage,
  LeaveReason,
  Participant,
  ParticipantBadge,
  ParticipantState,
  Publication,
  ServerMessage,
  ServerMessageOf,
  TrackSource,
} from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { CallTokenClaims } from './call-token.js';
import type { Clock } from './clock.js';
import type { ConnectionId, PresenceEffect } from './presence-effects.js';
import type { SessionOwner } from './session-registry.js';

/** Answers "did this user create this SFU session in this room?" (the proxy records it on sessions/new). */
export interface SessionOwnership {
  isOwnedBy(sessionId: string, owner: SessionOwner): boolean;
}

export interface HeartbeatOptions {
  /** How often clients should ping while idle. Default 25 s. */
  readonly intervalMs?: number;
  /**
   * Silence after which a participant is removed. Must exceed 60 s: Chrome throttles timers in background
   * tabs to one wake-up a minute, so a shorter timeout would evict every backgrounded participant.
   * Default 90 s.
   */
  readonly timeoutMs?: number;
}

export interface RoomPresenceOptions {
  readonly now: Clock;
  readonly sessions: SessionOwnership;
  readonly heartbeat?: HeartbeatOptions;
  /**
   * Called after a member joined, left, or changed what others see of them (state, publications): where a
   * runtime that can lose its memory (a Durable Object) saves `member(userId)`.
   */
  readonly onMemberChange?: (userId: string) => void;
}

/** One member as a runtime persists it: enough to rebuild the room after its memory is gone. */
export interface MemberRecord {
  readonly participant: Participant;
  readonly connectionId: ConnectionId;
  readonly publications: readonly Publication[];
  /** May announce a chat channel without `canPublish` (absent in records stored before chat: false). */
  readonly canChat?: boolean;
}

/** Messages a joined participant may send (`join` and `refresh` are the connection's). */
export type RoomMessage = Exclude<ClientMessage, { type: 'join' | 'refresh' }>;

interface Member {
  participant: Participant;
  readonly connectionId: ConnectionId;
  lastSeenAt: number;
  readonly publications: Map<TrackSource, Publication>;
  /** May announce a chat channel without `canPublish`. */
  readonly canChat: boolean;
  /** Seen by everyone by name; false for a viewer, who is only counted. */
  readonly listed: boolean;
}

const MIN_HEARTBEAT_TIMEOUT_MS = 60_000;
/** The viewer count goes out at most this often. */
export const AUDIENCE_INTERVAL_MS = 1000;
const DEFAULT_AUDIENCE_PAGE = 100;

/** Publishers, moderators and chatters are listed by name; everyone else is a viewer, only counted. */
function isListed(rights: { canPublish: boolean; canModerate: boolean; canChat: boolean }): boolean {
  return rights.canPublish || rights.canModerate || rights.canChat;
}
const initialState: ParticipantState = { micOn: false, cameraOn: false, speaking: false, handRaised: false };

export class RoomPresence {
  /** Members by user id: one entry per user, whatever the number of tabs. */
  readonly #members = new Map<string, Member>();
  /** The listed members (a subset of #members): who a broadcast about a listed member goes to is everyone. */
  readonly #listed = new Set<Member>();
  /** The count last sent in an `audience` frame, when, and whether a later one is already scheduled. */
  #audienceSent = 0;
  #audienceSentAt = -Infinity;
  #audienceDue = false;
  readonly #userByConnection = new Map<ConnectionId, string>();
  readonly #now: Clock;
  readonly #sessions: SessionOwnership;
  readonly #onMemberChange: (userId: string) => void;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;

  constructor(
    readonly room: string,
    options: RoomPresenceOptions,
  ) {
    this.#now = options.now;
    this.#sessions = options.sessions;
    this.#onMemberChange = options.onMemberChange ?? (() => undefined);
    this.heartbeatIntervalMs = options.heartbeat?.intervalMs ?? 25_000;
    this.heartbeatTimeoutMs = options.heartbeat?.timeoutMs ?? 90_000;
    if (this.heartbeatTimeoutMs <= MIN_HEARTBEAT_TIMEOUT_MS) {
      throw new RangeError('heartbeat timeout must exceed 60 s (background tabs wake once a minute)');
    }
  }

  get isEmpty(): boolean {
    return this.#members.size === 0;
  }

  get participantCount(): number {
    return this.#members.size;
  }

  /** Viewers: members who are only counted, not listed. */
  get audienceCount(): number {
    return this.#members.size - this.#listed.size;
  }

  /**
   * Adds a verified connection. If the same user is already here, the newest connection wins. `badge` marks a
   * participant the server adds itself (a WHIP stream).
   */
  join(connectionId: ConnectionId, claims: CallTokenClaims, badge?: ParticipantBadge): PresenceEffect[] {
    if (claims.room !== this.room) {
      return [
        {
          type: 'close',
          to: connectionId,
          code: PresenceCloseCode.forbidden,
          reason: 'token is for another room',
        },
      ];
    }
    const effects: PresenceEffect[] = [];
    const previous = this.#members.get(claims.userId);
    if (previous) {
      effects.push({
        type: 'close',
        to: previous.connectionId,
        code: PresenceCloseCode.replaced,
        reason: 'replaced by a newer connection',
      });
      effects.push(...this.#remove(previous, 'replaced'));
    }
    const canChat = claims.canChat ?? false;
    const member: Member = {
      participant: {
        id: claims.userId,
        name: claims.name,
        joinedAt: this.#now(),
        canPublish: claims.canPublish,
        canModerate: claims.canModerate,
        state: { ...initialState },
        ...(badge ? { badge } : {}),
      },
      connectionId,
      lastSeenAt: this.#now(),
      publications: new Map(),
      canChat,
      listed: isListed({ ...claims, canChat }),
    };
    this.#add(member);
    this.#onMemberChange(claims.userId);
    effects.push(this.#send(connectionId, this.#hello(member)));
    if (!member.listed) return [...effects, ...this.#audienceChanged()];
    effects.push(
      ...this.#broadcast(
        { v: PROTOCOL_VERSION, type: 'participant-joined', participant: member.participant },
        member,
      ),
    );
    return effects;
  }

  /** Handles one validated message from a joined connection. */
  receive(connectionId: ConnectionId, message: RoomMessage): PresenceEffect[] {
    const member = this.#memberOf(connectionId);
    if (!member) return [];
    member.lastSeenAt = this.#now();
    switch (message.type) {
      case 'ping':
        return [this.#send(connectionId, { v: PROTOCOL_VERSION, type: 'pong' })];
      case 'publish':
        return this.#publish(member, message.track);
      case 'unpublish':
        return this.#unpublish(member, message.source);
      case 'update-state':
        return this.#updateState(member, message.state);
      case 'list-audience':
        return [this.#audiencePage(member, message)];
    }
  }

  /** Any sign of life that is not a message (a WebSocket pong, which browsers send even in background tabs). */
  touch(connectionId: ConnectionId): void {
    const member = this.#memberOf(connectionId);
    if (member) member.lastSeenAt = this.#now();
  }

  /** The socket closed. A connection that was already replaced changes nothing. */
  disconnect(connectionId: ConnectionId): PresenceEffect[] {
    const member = this.#memberOf(connectionId);
    return member ? this.#remove(member, 'left') : [];
  }

  /** The connection of a participant, if they are here. */
  connectionOf(userId: string): ConnectionId | undefined {
    return this.#members.get(userId)?.connectionId;
  }

  /**
   * Removes a participant whose SFU session is gone, unless they showed a sign of life after `silentSince`
   * (a live tab answers the ping the hub sent when it learned of the loss). Closes with 4408.
   */
  sessionLost(userId: string, silentSince: number): PresenceEffect[] {
    const member = this.#members.get(userId);
    if (!member || member.lastSeenAt > silentSince) return [];
    return [
      {
        type: 'close',
        to: member.connectionId,
        code: PresenceCloseCode.heartbeatTimeout,
        reason: 'the SFU session is gone and the socket is silent',
      },
      ...this.#remove(member, 'timeout'),
    ];
  }

  /** Removes participants silent for longer than the heartbeat timeout and closes their sockets. */
  sweep(): PresenceEffect[] {
    const deadline = this.#now() - this.heartbeatTimeoutMs;
    const effects: PresenceEffect[] = [];
    for (const member of [...this.#members.values()]) {
      if (member.lastSeenAt >= deadline) continue;
      effects.push({
        type: 'close',
        to: member.connectionId,
        code: PresenceCloseCode.heartbeatTimeout,
        reason: 'heartbeat timeout',
      });
      effects.push(...this.#remove(member, 'timeout'));
    }
    return effects;
  }

  /** True if a current member publishes this exact track: the rule for letting anyone pull it. */
  isPublished(sessionId: string, trackName: string): boolean {
    for (const member of this.#members.values()) {
      for (const publication of member.publications.values()) {
        if (publication.sessionId === sessionId && publication.trackName === trackName) return true;
      }
    }
    return false;
  }

  /** The member with this user id as a runtime persists it; undefined if they are not here. */
  member(userId: string): MemberRecord | undefined {
    const member = this.#members.get(userId);
    if (!member) return undefined;
    const { participant, connectionId, publications, canChat } = member;
    return { participant, connectionId, publications: [...publications.values()], canChat };
  }

  /**
   * Puts persisted members back after the runtime lost its memory (a Durable Object that hibernated or
   * restarted). Each counts as seen now: one who is really gone is swept a heartbeat timeout later.
   */
  restore(records: readonly MemberRecord[]): void {
    for (const record of records) {
      const publications = new Map(record.publications.map((p) => [p.source, p] as const));
      const canChat = record.canChat ?? false;
      this.#add({
        participant: record.participant,
        connectionId: record.connectionId,
        lastSeenAt: this.#now(),
        publications,
        canChat,
        listed: isListed({ ...record.participant, canChat }),
      });
    }
    this.#audienceSent = this.audienceCount;
  }

  /** The listed members (publishers, moderators, chatters); viewers are only in `audienceCount`. */
  participants(): Participant[] {
    return [...this.#listed].map((member) => member.participant);
  }

  /** Only listed members publish (a viewer's token allows nothing to publish). */
  publications(): Publication[] {
    return [...this.#listed].flatMap((member) => [...member.publications.values()]);
  }

  #publish(member: Member, track: Extract<RoomMessage, { type: 'publish' }>['track']): PresenceEffect[] {
    const { id } = member.participant;
    const allowed = member.participant.canPublish || (track.source === 'chat' && member.canChat);
    if (!allowed) {
      return [this.#error(member, PresenceErrorCode.forbidden, 'your token does not allow publishing')];
    }
    if (!this.#sessions.isOwnedBy(track.sessionId, { userId: id, room: this.room })) {
      return [
        this.#error(
          member,
          PresenceErrorCode.notSessionOwner,
          'that session was not created by you in this room',
        ),
      ];
    }
    const current = member.publications.get(track.source);
    if (current && current.sessionId === track.sessionId && current.trackName === track.trackName) return [];
    const publication: Publication = { participantId: id, ...track };
    member.publications.set(track.source, publication);
    this.#onMemberChange(id);
    // Everyone, the publisher included, learns the (possibly new) session so pulls follow a re-push.
    return this.#broadcast({ v: PROTOCOL_VERSION, type: 'track-published', publication });
  }

  #unpublish(member: Member, source: TrackSource): PresenceEffect[] {
    const current = member.publications.get(source);
    if (!current) return [];
    member.publications.delete(source);
    this.#onMemberChange(member.participant.id);
    return this.#broadcast({
      v: PROTOCOL_VERSION,
      type: 'track-unpublished',
      participantId: member.participant.id,
      source,
      trackName: current.trackName,
    });
  }

  #updateState(member: Member, patch: Partial<ParticipantState>): PresenceEffect[] {
    const before = member.participant.state;
    const state: ParticipantState = { ...before, ...definedOnly(patch) };
    const changed = (Object.keys(state) as (keyof ParticipantState)[]).some(
      (key) => state[key] !== before[key],
    );
    if (!changed) return [];
    member.participant = { ...member.participant, state };
    this.#onMemberChange(member.participant.id);
    const message: ServerMessage = {
      v: PROTOCOL_VERSION,
      type: 'participant-state',
      participantId: member.participant.id,
      state,
    };
    if (member.listed) return this.#broadcast(message);
    // A viewer's state (a raised hand) concerns the moderators and the viewer; never the whole audience.
    const moderators = [...this.#listed].filter((m) => m.participant.canModerate && m !== member);
    return [member, ...moderators].map((m) => this.#send(m.connectionId, message));
  }

  /** One page of viewers in join order, for a moderator. */
  #audiencePage(member: Member, request: { after?: string; limit?: number }): PresenceEffect {
    if (!member.participant.canModerate) {
      return this.#error(member, PresenceErrorCode.forbidden, 'only a moderator may list the viewers');
    }
    const viewers = [...this.#members.values()]
      .filter((m) => !m.listed)
      .map((m) => m.participant)
      .sort((a, b) => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const { after } = request;
    const start = after === undefined ? 0 : viewers.findIndex((p) => audienceCursor(p) > after);
    const from = start < 0 ? viewers.length : start;
    const page = viewers.slice(from, from + (request.limit ?? DEFAULT_AUDIENCE_PAGE));
    const last = page.at(-1);
    const more = from + page.length < viewers.length;
    const message: ServerMessageOf<'audience-page'> = {
      v: PROTOCOL_VERSION,
      type: 'audience-page',
      participants: page,
      total: viewers.length,
      ...(more && last ? { next: audienceCursor(last) } : {}),
    };
    return this.#send(member.connectionId, message);
  }

  #add(member: Member): void {
    this.#members.set(member.participant.id, member);
    this.#userByConnection.set(member.connectionId, member.participant.id);
    if (member.listed) this.#listed.add(member);
  }

  /**
   * The viewer count moved: send it now if the last one went out over a second ago, else once that second is
   * over (one frame for however many joins and leaves happened meanwhile).
   */
  #audienceChanged(): PresenceEffect[] {
    if (this.#audienceDue) return [];
    const wait = this.#audienceSentAt + AUDIENCE_INTERVAL_MS - this.#now();
    if (wait <= 0) return this.#sendAudience();
    this.#audienceDue = true;
    const run = () => {
      this.#audienceDue = false;
      return this.#sendAudience();
    };
    return [{ type: 'after', ms: wait, run }];
  }

  #sendAudience(): PresenceEffect[] {
    const count = this.audienceCount;
    if (count === this.#audienceSent) return [];
    this.#audienceSent = count;
    this.#audienceSentAt = this.#now();
    return this.#broadcast({ v: PROTOCOL_VERSION, type: 'audience', count });
  }

  #remove(member: Member, reason: LeaveReason): PresenceEffect[] {
    this.#members.delete(member.participant.id);
    this.#userByConnection.delete(member.connectionId);
    this.#listed.delete(member);
    this.#onMemberChange(member.participant.id);
    if (!member.listed) return this.#audienceChanged();
    return this.#broadcast({
      v: PROTOCOL_VERSION,
      type: 'participant-left',
      participantId: member.participant.id,
      reason,
    });
  }

  #memberOf(connectionId: ConnectionId): Member | undefined {
    const userId = this.#userByConnection.get(connectionId);
    return userId === undefined ? undefined : this.#members.get(userId);
  }

  #hello(member: Member): ServerMessage {
    return {
      v: PROTOCOL_VERSION,
      type: 'hello',
      self: member.participant,
      participants: this.participants(),
      publications: this.publications(),
      audience: this.audienceCount,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
      heartbeatTimeoutMs: this.heartbeatTimeoutMs,
    };
  }

  #broadcast(message: ServerMessage, except?: Member): PresenceEffect[] {
    return [...this.#members.values()]
      .filter((member) => member !== except)
      .map((member) => this.#send(member.connectionId, message));
  }

  #send(to: ConnectionId, message: ServerMessage): PresenceEffect {
    return { type: 'send', to, message };
  }

  #error(member: Member, code: PresenceErrorCode, message: string): PresenceEffect {
    return this.#send(member.connectionId, { v: PROTOCOL_VERSION, type: 'error', code, message });
  }
}

/** Where a page of viewers ends: sorts like the page's order (join time, then id). */
function audienceCursor(participant: Participant): string {
  return `${String(participant.joinedAt).padStart(16, '0')}:${participant.id}`;
}

// valibot's partial() yields `undefined` for absent keys; don't let them overwrite real values.
function definedOnly(patch: Partial<ParticipantState>): Partial<ParticipantState> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
