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
import { Breakouts, type BreakoutOutcome, type BreakoutsSnapshot } from './breakouts.js';
import { breakoutNoticeEffects, breakoutsMessage } from './breakouts-frames.js';
import type { CallTokenClaims } from './call-token.js';
import type { Clock } from './clock.js';
import { RaisedHands, Reactions } from './hands-and-reactions.js';
import type { ConnectionId, PresenceEffect } from './presence-effects.js';
import { RemovalLedger } from './removal-ledger.js';
import type { RoomMembers } from './room-members.js';
import { RoomModeration } from './room-moderation.js';
import type { SessionOwner } from './session-registry.js';
import type { TokenBucketOptions } from './token-bucket.js';

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
  /**
   * Called after the breakout rooms changed (plan, phase, countdown, or who is in which): where a runtime that
   * can lose its memory saves `breakoutsSnapshot()`.
   */
  readonly onBreakoutsChange?: () => void;
  /** Shuffles breakout assignments; tests pass a seeded one. Default Math.random. */
  readonly random?: () => number;
  /** Host removals, shared by every room of the runtime so a ban outlives an emptied room. Default: this room's own. */
  readonly removals?: RemovalLedger;
  /** A host removed a member: where the runtime closes the SFU tracks they published. */
  readonly onRemoved?: (removal: MemberRemoval) => void;
  /** Reactions per participant. Default 4 at once, then one every 2 s. */
  readonly reactionRate?: TokenBucketOptions;
}

/** A member a host removed, with what they published (for `tracks/close`). */
export interface MemberRemoval {
  readonly room: string;
  readonly userId: string;
  readonly publications: readonly Publication[];
}

/** One member as a runtime persists it: enough to rebuild the room after its memory is gone. */
export interface MemberRecord {
  readonly participant: Participant;
  readonly connectionId: ConnectionId;
  readonly publications: readonly Publication[];
  /** May announce a chat channel without `canPublish` (absent in records stored before chat: false). */
  readonly canChat?: boolean;
  /**
   * When their latest token expires (seconds since the epoch): how long a removal after a restore lasts.
   * Absent for viewers, and in records stored before it: a removal then lasts as long as any token can.
   */
  readonly tokenExpiresAt?: number;
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
  /** A hello told someone a count other than `#audienceSent`: the next due count must go out even if equal. */
  #audienceToldOtherwise = false;
  #audienceSentAt = -Infinity;
  #audienceDue = false;
  readonly #userByConnection = new Map<ConnectionId, string>();
  readonly #now: Clock;
  readonly #sessions: SessionOwnership;
  readonly #onMemberChange: (userId: string) => void;
  readonly #onRemoved: (removal: MemberRemoval) => void;
  readonly #onBreakoutsChange: () => void;
  readonly #hands: RaisedHands;
  readonly #reactions: Reactions;
  readonly #moderation: RoomModeration;
  /** The breakout rooms: presence (roster, publications, pulls) is scoped to each member's current one. */
  readonly #breakouts: Breakouts;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;

  constructor(
    readonly room: string,
    options: RoomPresenceOptions,
  ) {
    this.#now = options.now;
    this.#sessions = options.sessions;
    this.#onMemberChange = options.onMemberChange ?? (() => undefined);
    this.#onRemoved = options.onRemoved ?? (() => undefined);
    this.#onBreakoutsChange = options.onBreakoutsChange ?? (() => undefined);
    const members = this.#membersAccess();
    this.#hands = new RaisedHands(members, options.now);
    this.#reactions = new Reactions(members, options.now, options.reactionRate);
    this.#moderation = new RoomModeration(
      members,
      this.#hands,
      options.removals ?? new RemovalLedger(options.now),
      options.now,
    );
    this.#breakouts = new Breakouts(options.now, options.random);
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
    if (this.#moderation.refusesJoin(claims.userId)) {
      return [
        {
          type: 'close',
          to: connectionId,
          code: PresenceCloseCode.removed,
          reason: 'a host removed you from this room',
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
    // Before the change is reported: a runtime saves the token's expiry with the member.
    if (member.listed) this.#moderation.joined(claims.userId, claims.expiresAt);
    this.#onMemberChange(claims.userId);
    effects.push(this.#send(connectionId, this.#hello(member)));
    if (!member.listed) return [...effects, ...this.#audienceChanged()];
    effects.push(
      ...this.#broadcast(
        { v: PROTOCOL_VERSION, type: 'participant-joined', participant: member.participant },
        member,
        true,
      ),
    );
    effects.push(...this.#breakoutsChanged());
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
      case 'hand':
        return message.raised
          ? this.#hands.raise(member.participant.id)
          : this.#hands.lower(member.participant.id);
      case 'react':
        return this.#reactions.react(member.participant.id, message.emoji);
      case 'moderate':
        return this.#moderation.moderate(member.participant.id, message);
      case 'breakout':
        return this.#breakout(member, message.request);
      case 'list-audience':
        return [this.#audiencePage(member, message)];
    }
  }

  /** The connection's socket moved to a fresher token (`refresh`). */
  tokenRefreshed(connectionId: ConnectionId, expiresAt: number): void {
    const member = this.#memberOf(connectionId);
    if (!member) return;
    this.#moderation.tokenRefreshed(member.participant.id, expiresAt);
    this.#onMemberChange(member.participant.id);
  }

  /** Raised hands, first raised first. */
  raisedHands(): { participantId: string; raisedAt: number }[] {
    return this.#hands.list();
  }

  /** Whom a host spotlighted, if anyone. */
  get spotlight(): string | null {
    return this.#moderation.spotlight;
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
    return this.#timeOut(member, 'the SFU session is gone and the socket is silent');
  }

  /**
   * The socket answered none of the adapter's WebSocket pings for a while: the machine froze, slept or lost
   * its network (a background tab still answers them). The participant times out; closes with 4408.
   */
  unresponsive(connectionId: ConnectionId): PresenceEffect[] {
    const member = this.#memberOf(connectionId);
    return member ? this.#timeOut(member, 'the socket answers no pings') : [];
  }

  /** Removes participants silent for longer than the heartbeat timeout and closes their sockets. */
  sweep(): PresenceEffect[] {
    const deadline = this.#now() - this.heartbeatTimeoutMs;
    const effects: PresenceEffect[] = [];
    for (const member of [...this.#members.values()]) {
      if (member.lastSeenAt < deadline) effects.push(...this.#timeOut(member, 'heartbeat timeout'));
    }
    return effects;
  }

  #timeOut(member: Member, reason: string): PresenceEffect[] {
    return [
      { type: 'close', to: member.connectionId, code: PresenceCloseCode.heartbeatTimeout, reason },
      ...this.#remove(member, 'timeout'),
    ];
  }

  /**
   * True if a current member publishes this exact track: the rule for letting anyone pull it. With `viewerId`,
   * only a member in the viewer's current breakout room counts.
   */
  isPublished(sessionId: string, trackName: string, viewerId?: string): boolean {
    for (const member of this.#members.values()) {
      if (viewerId !== undefined && !this.#breakouts.together(viewerId, member.participant.id)) continue;
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
    const tokenExpiresAt = this.#moderation.tokenExpiresAt(userId);
    return {
      participant,
      connectionId,
      publications: [...publications.values()],
      canChat,
      ...(tokenExpiresAt !== undefined && { tokenExpiresAt }),
    };
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
      if (record.tokenExpiresAt !== undefined) {
        this.#moderation.joined(record.participant.id, record.tokenExpiresAt);
      }
    }
    this.#audienceSent = this.audienceCount;
  }

  /** The breakout rooms as a runtime persists them; undefined while none were ever made. */
  breakoutsSnapshot(): BreakoutsSnapshot | undefined {
    const snapshot = this.#breakouts.snapshot();
    return snapshot.rooms.length > 0 || snapshot.current.length > 0 ? snapshot : undefined;
  }

  /**
   * Puts persisted breakout rooms back (after `restore` of the members), who is in which included. A countdown
   * that was running comes back as a `wake` effect for its time left, to deliver as any other.
   */
  restoreBreakouts(snapshot: BreakoutsSnapshot): PresenceEffect[] {
    this.#breakouts.restore(snapshot);
    const left = this.#breakouts.countdownMs();
    return left === undefined ? [] : [{ type: 'wake', room: this.room, inMs: left }];
  }

  /**
   * The listed members (publishers, moderators, chatters) in every breakout room; with `near`, only those in
   * the same room as that user. Viewers are only in `audienceCount`.
   */
  participants(near?: string): Participant[] {
    return this.#near(near)
      .filter((member) => member.listed)
      .map((member) => member.participant);
  }

  /** Only listed members publish (a viewer's token allows nothing to publish). */
  publications(near?: string): Publication[] {
    return this.#near(near)
      .filter((member) => member.listed)
      .flatMap((member) => [...member.publications.values()]);
  }

  /** Where a user is now: `main`, or a breakout room's id. */
  breakoutOf(userId: string): string {
    return this.#breakouts.roomOf(userId);
  }

  /** A breakout countdown's time is up (the runtime scheduled this after a `wake` effect). */
  wake(): PresenceEffect[] {
    return this.#applyBreakouts(this.#breakouts.due(this.participants()));
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
    return this.#broadcast({ v: PROTOCOL_VERSION, type: 'track-published', publication }, member);
  }

  #unpublish(member: Member, source: TrackSource): PresenceEffect[] {
    const current = member.publications.get(source);
    if (!current) return [];
    member.publications.delete(source);
    this.#onMemberChange(member.participant.id);
    return this.#broadcast(
      {
        v: PROTOCOL_VERSION,
        type: 'track-unpublished',
        participantId: member.participant.id,
        source,
        trackName: current.trackName,
      },
      member,
    );
  }

  #updateState(member: Member, patch: Partial<ParticipantState>): PresenceEffect[] {
    // A hand goes up and down through the queue that keeps the raise order (as with a `hand` frame); one
    // `participant-state` still carries the whole patch.
    const { handRaised, ...rest } = patch;
    const handMoved = handRaised !== undefined && this.#hands.mark(member.participant.id, handRaised);
    const before = member.participant.state;
    const state: ParticipantState = {
      ...before,
      ...definedOnly(rest),
      ...(handMoved ? { handRaised } : {}),
    };
    const changed = (Object.keys(state) as (keyof ParticipantState)[]).some(
      (key) => state[key] !== before[key],
    );
    const effects = changed ? this.#setState(member, state) : [];
    if (!handMoved) return effects;
    // A viewer's hand concerns the moderators and the viewer, as its state does: never the whole audience.
    const hands = this.#hands.message();
    if (member.listed) return [...effects, ...this.#broadcastAll(hands)];
    const moderators = [...this.#listed].filter((m) => m.participant.canModerate && m !== member);
    return [...effects, ...[member, ...moderators].map((m) => this.#send(m.connectionId, hands))];
  }

  #setState(member: Member, state: ParticipantState): PresenceEffect[] {
    member.participant = { ...member.participant, state };
    this.#onMemberChange(member.participant.id);
    const message: ServerMessage = {
      v: PROTOCOL_VERSION,
      type: 'participant-state',
      participantId: member.participant.id,
      state,
    };
    if (member.listed) return this.#broadcast(message, member);
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
    if (count === this.#audienceSent && !this.#audienceToldOtherwise) return [];
    this.#audienceSent = count;
    this.#audienceToldOtherwise = false;
    this.#audienceSentAt = this.#now();
    return this.#broadcastAll({ v: PROTOCOL_VERSION, type: 'audience', count });
  }

  #remove(member: Member, reason: LeaveReason): PresenceEffect[] {
    const { id } = member.participant;
    this.#members.delete(id);
    this.#userByConnection.delete(member.connectionId);
    this.#listed.delete(member);
    this.#onMemberChange(id);
    const after = [...this.#hands.left(id), ...this.#moderation.left(id), ...this.#breakoutsChanged()];
    if (!member.listed) return [...this.#audienceChanged(), ...after];
    return [
      ...this.#broadcast(
        { v: PROTOCOL_VERSION, type: 'participant-left', participantId: id, reason },
        member,
      ),
      ...after,
    ];
  }

  /** The roster as the feature modules (hands, reactions, host controls) may use it. */
  #membersAccess(): RoomMembers {
    return {
      room: this.room,
      participant: (userId) => this.#members.get(userId)?.participant,
      setHandRaised: (userId, raised) => {
        const member = this.#members.get(userId);
        if (!member || member.participant.state.handRaised === raised) return [];
        return this.#setState(member, { ...member.participant.state, handRaised: raised });
      },
      broadcast: (message) => this.#broadcastAll(message),
      sendTo: (userId, message) => {
        const member = this.#members.get(userId);
        return member ? [this.#send(member.connectionId, message)] : [];
      },
      error: (userId, code, message) => {
        const member = this.#members.get(userId);
        return member ? [this.#error(member, code, message)] : [];
      },
      expel: (userId) => {
        const member = this.#members.get(userId);
        if (!member) return [];
        const publications = [...member.publications.values()];
        const effects: PresenceEffect[] = [
          {
            type: 'close',
            to: member.connectionId,
            code: PresenceCloseCode.removed,
            reason: 'a host removed you from this room',
          },
          ...this.#remove(member, 'removed'),
        ];
        this.#onRemoved({ room: this.room, userId, publications });
        return effects;
      },
    };
  }

  #breakout(
    member: Member,
    request: Extract<RoomMessage, { type: 'breakout' }>['request'],
  ): PresenceEffect[] {
    const result = this.#breakouts.request(member.participant, request, this.participants());
    if (!result.ok) return [this.#error(member, result.code, result.message)];
    return this.#applyBreakouts(result);
  }

  /** Re-scopes each mover's presence, then tells everyone the plan and delivers notices. */
  #applyBreakouts(outcome: BreakoutOutcome): PresenceEffect[] {
    if (outcome.moves.length > 0 || outcome.changed || outcome.wakeInMs !== undefined) {
      this.#onBreakoutsChange();
    }
    const effects: PresenceEffect[] = [];
    for (const move of outcome.moves) {
      const member = this.#members.get(move.userId);
      if (member) effects.push(...this.#moved(member, move.from, move.to));
    }
    if (outcome.changed) effects.push(...this.#breakoutsChanged());
    const everyone = [...this.#members.values()].map((m) => ({
      ...m.participant,
      connectionId: m.connectionId,
    }));
    for (const notice of outcome.notices) effects.push(...breakoutNoticeEffects(notice, everyone));
    if (outcome.wakeInMs !== undefined)
      effects.push({ type: 'wake', room: this.room, inMs: outcome.wakeInMs });
    return effects;
  }

  /**
   * `member` went from one room to another (Breakouts already says so): the room they left sees them leave,
   * the room they reach sees them join, and they get that room's roster and publications in place of the old.
   */
  #moved(member: Member, from: string, to: string): PresenceEffect[] {
    const id = member.participant.id;
    const effects: PresenceEffect[] = [];
    for (const other of this.#members.values()) {
      const where = this.#breakouts.roomOf(other.participant.id);
      if (other === member || (where !== from && where !== to)) continue;
      if (where === from) {
        const left: ServerMessage = {
          v: PROTOCOL_VERSION,
          type: 'participant-left',
          participantId: id,
          reason: 'moved',
        };
        effects.push(this.#send(other.connectionId, left));
        continue;
      }
      // As on a join: who they are, then what they publish.
      const joined: ServerMessage = {
        v: PROTOCOL_VERSION,
        type: 'participant-joined',
        participant: member.participant,
      };
      effects.push(this.#send(other.connectionId, joined));
      for (const publication of member.publications.values()) {
        const published: ServerMessage = { v: PROTOCOL_VERSION, type: 'track-published', publication };
        effects.push(this.#send(other.connectionId, published));
      }
    }
    effects.push(
      this.#send(member.connectionId, {
        v: PROTOCOL_VERSION,
        type: 'breakout-moved',
        roomId: to,
        participants: this.participants(id),
        publications: this.publications(id),
      }),
    );
    return effects;
  }

  #memberOf(connectionId: ConnectionId): Member | undefined {
    const userId = this.#userByConnection.get(connectionId);
    return userId === undefined ? undefined : this.#members.get(userId);
  }

  #hello(member: Member): ServerMessage {
    // E.g. 2 sent, a viewer joins (3, sent in a moment) and one leaves (2 again): the joiner was told 3.
    if (this.audienceCount !== this.#audienceSent) this.#audienceToldOtherwise = true;
    return {
      v: PROTOCOL_VERSION,
      type: 'hello',
      self: member.participant,
      participants: this.participants(member.participant.id),
      publications: this.publications(member.participant.id),
      audience: this.audienceCount,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
      heartbeatTimeoutMs: this.heartbeatTimeoutMs,
      ...this.#moderation.helloFields(),
    };
  }

  /** Sends to everyone in the same breakout room as `about` (the main room is one too), `about` too unless told. */
  #broadcast(message: ServerMessage, about: Member, exceptAbout = false): PresenceEffect[] {
    return this.#near(about.participant.id)
      .filter((member) => !(exceptAbout && member === about))
      .map((member) => this.#send(member.connectionId, message));
  }

  /** To every member of the call, whichever breakout room they are in (hands, reactions, host notices). */
  #broadcastAll(message: ServerMessage): PresenceEffect[] {
    return this.#near().map((member) => this.#send(member.connectionId, message));
  }

  /** Every member, or those in the same breakout room as `userId`. */
  #near(userId?: string): Member[] {
    const members = [...this.#members.values()];
    if (userId === undefined) return members;
    return members.filter((member) => this.#breakouts.together(userId, member.participant.id));
  }

  /** The breakout plan to everyone, once rooms exist: who is where changed, or the plan did. */
  #breakoutsChanged(): PresenceEffect[] {
    if (!this.#breakouts.active) return [];
    const message = breakoutsMessage(this.#breakouts, this.participants());
    return [...this.#members.values()].map((member) => this.#send(member.connectionId, message));
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
