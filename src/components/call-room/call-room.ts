import { ContextProvider } from '@lit/context';
import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { cssVars } from '../../internal/css-vars.js';
import { icon } from '../../internal/icon.js';
import { BaseElement } from '../../internal/base-element.js';
import { ElementSizeController } from '../../controllers/element-size-controller.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { CALL_SHORTCUTS, ShortcutsController } from '../../controllers/shortcuts-controller.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { callSessionContext } from '../../context/call-session-context.js';
import type { CallBreakouts } from '../../core/breakout-types.js';
import type { CallChange } from '../../core/call-changes.js';
import type { CallErrorDetail } from '../../core/call-error.js';
import { CallSession } from '../../core/call-session.js';
import type {
  CallParticipant,
  CallSessionLike,
  CallState,
  LocalMediaState,
  VideoSource,
} from '../../core/types.js';
import type { CallLayoutChangeEvent } from '../../events/call-layout-change.js';
import type { CallParticipantsToggleEvent } from '../../events/call-participants-toggle.js';
import type { CallChatToggleEvent } from '../../events/call-chat-toggle.js';
import { ChatUnreadController } from './chat-unread.js';
import { CallErrorEvent } from '../../events/call-error.js';
import { CallStateChangeEvent } from '../../events/call-state-change.js';
import { CallJoinedEvent } from '../../events/call-joined.js';
import { CallLeftEvent } from '../../events/call-left.js';
import { CallParticipantJoinedEvent } from '../../events/call-participant-joined.js';
import { CallParticipantLeftEvent } from '../../events/call-participant-left.js';
import { CallMediaChangeEvent } from '../../events/call-media-change.js';
import { CallActiveSpeakerChangeEvent } from '../../events/call-active-speaker-change.js';
import { CallStageChangeEvent } from '../../events/call-stage-change.js';
import { CallHandChangeEvent } from '../../events/call-hand-change.js';
import { CallReactionEvent } from '../../events/call-reaction.js';
import { CallRemovedEvent } from '../../events/call-removed.js';
import { CallSpotlightChangeEvent } from '../../events/call-spotlight-change.js';
import type { CallHostRequest, CallReaction, RaisedHand } from '../../core/host-controls.js';
import { CallBreakoutChangeEvent } from '../../events/call-breakout-change.js';
import type { BreakoutPlace } from '../../core/breakout-types.js';
import type { CallSettingsToggleEvent } from '../../events/call-settings-toggle.js';
import type { Translation } from '../../translations/en.js';
import { tokenStyles } from '../../styles/tokens.js';
import { menuStyles } from '../../styles/menu.js';
import { visuallyHiddenStyles } from '../../styles/visually-hidden.js';
import { styles } from './call-room.styles.js';
import { DEVICE_ERRORS, errorTerms } from './error-terms.js';
import { fitGrid } from './grid-fit.js';
import { micMeter, micMeterStyles } from '../../internal/mic-meter.js';
import { hueOf, initialsOf } from '../../internal/initials.js';

const EYE_ICON = svg`<path d="M2 12s3.6-6.5 10-6.5S22 12 22 12s-3.6 6.5-10 6.5S2 12 2 12z" /><circle cx="12" cy="12" r="3" />`;
const MORE_ICON = svg`<circle cx="12" cy="5" r="1.5" /><circle cx="12" cy="12" r="1.5" /><circle cx="12" cy="19" r="1.5" />`;

/** A small stable number from a string, to scatter floating reactions. */
function hashOf(text: string): number {
  let hash = 7;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 9973;
  return hash;
}

/** Stable short ids for arbitrary keys, for use as element ids. */
class ShortIds {
  readonly #ids = new Map<string, number>();
  id(key: string): number {
    let id = this.#ids.get(key);
    if (id === undefined) this.#ids.set(key, (id = this.#ids.size + 1));
    return id;
  }
}

/** Below this room width the stage is a phone's. */
const PHONE_WIDTH = 480;
const PHONE_MAX_VIDEO = 4;
const DESKTOP_MAX_VIDEO = 9;
/** Avatars on the "+N" tile. */
const OTHERS_AVATARS = 3;

/** How long a reaction floats over its sender's tile. */
const REACTION_MS = 4000;
/** The most reactions floating over one tile at once; older ones make room. */
const MAX_FLOATING_PER_TILE = 5;

const STATES: readonly CallState[] = ['idle', 'joining', 'joined', 'reconnecting', 'left', 'error'];
/** A call shown early (see `stageOnly`) gets its controls after this long at the latest. */
const CHROME_FALLBACK_MS = 1000;
/** A DOM move (remove, then append elsewhere) within this time keeps the call. */
const DISCONNECT_GRACE_MS = 1000;

/** The spellings before `muted`, `camera-off` and `manual-join`: on unless the value says "false". */
const DEPRECATED_SWITCHES: Readonly<Record<string, string>> = {
  audio: 'muted',
  video: 'camera-off',
  autojoin: 'manual-join',
};
const saysOff = (value: string | null) =>
  value !== null && ['false', 'off', '0'].includes(value.toLowerCase());

/**
 * A whole group call from two attributes: shows a pre-join screen (camera preview, name, devices, who is in
 * the room), asks the site's token endpoint for a room token, joins the room, publishes camera and microphone,
 * and shows everyone in a responsive grid with controls and device settings. Tells the page what happens
 * through DOM events. Provides its call session to the elements inside it.
 *
 * @summary Drop-in group video call.
 * @status experimental
 * @since 0.1.0
 *
 * @slot - Extra content shown under the stage (e.g. a chat panel).
 * @slot controls - Replaces the built-in `<call-controls>`.
 * @slot empty - Shown while nobody else is in the room.
 *
 * @fires call-state-change - The call moved between `idle`, `joining`, `joined`, `reconnecting`, `left` and `error`.
 * @fires call-joined - The local user is in the room.
 * @fires call-left - The local user left, or the call ended with an error.
 * @fires call-participant-joined - Someone else joined after the local user.
 * @fires call-participant-left - Someone else left.
 * @fires call-media-change - A participant's microphone, camera or screen share turned on or off; `reason`
 *   is `remote` for another participant's change and for a host muting or stopping yours.
 * @fires call-active-speaker-change - The loudest speaker changed.
 * @fires call-stage-change - Who is on the stage (shown with video) changed.
 * @fires call-hand-change - Someone raised or lowered their hand: `{ participant, raised, hands }`.
 * @fires call-reaction - Someone (you included) sent a reaction: `{ participant, emoji }`.
 * @fires call-spotlight-change - A host spotlighted someone for everyone, or ended it: `{ participant?, previous? }`.
 * @fires call-removed - A host removed you from the call; the removed screen shows.
 * @fires call-breakout-change - The local user moved to a breakout room, or back to the main room.
 * @fires call-error - Something failed: `permission-denied`, `no-device`, `token-failed`, `forbidden`, `rate-limited`, `connection-failed`, `unsupported`.
 *
 * @csspart base - The room's frame.
 * @csspart stage - The grid of tiles.
 * @csspart tile - Every `<video-tile>`.
 * @csspart tile-menu-button - The "more options" button on each tile: its one Tab stop.
 * @csspart tile-menu - A tile's menu: pin, full screen, connection details.
 * @csspart connection-details - The connection details dialog of one tile.
 * @csspart chat - The chat panel (a `<call-chat>`, loaded when first opened): beside the stage, full screen on a phone.
 * @fires call-chat-message - A chat message arrived from someone else (sent ones come from `<call-chat>`).
 * @csspart people - The panel listing everyone (a `<participant-list>`), opened from the controls.
 * @csspart breakouts - The host's breakout rooms (a `<breakout-panel>`) in the people panel; hosts only.
 * @csspart breakout-banner - Where you are among the breakout rooms (a `<breakout-banner>`), above the stage.
 * @csspart help - The dialog listing the keyboard shortcuts (press ?).
 * @csspart controls - The wrapper of the controls slot.
 * @csspart message - The idle, joining, left and error screens.
 * @csspart button - Join, rejoin, retry and enable-audio buttons.
 * @csspart banner - The reconnecting notice.
 * @csspart notice - A device problem (blocked, missing or busy camera or microphone) over the call, with Dismiss.
 * @csspart cancel - The Cancel button while joining and on the error screen.
 * @csspart details - The technical detail under an error, collapsed.
 * @csspart audio-prompt - The "enable audio" button shown when the browser blocks playback.
 * @csspart settings - The settings dialog: camera preview, microphone meter and device pickers.
 * @csspart empty - "Waiting for others to join…" over the stage while nobody else is here.
 * @csspart others - The tile standing for everyone off the stage ("+12"), which opens the people panel.
 * @csspart presenting - "You are presenting" with a Stop button, where your own screen would be.
 * @csspart prejoin - The `<call-prejoin>` screen shown before joining.
 * @csspart reaction - A reaction floating over its sender's tile (absent with `without-reactions`).
 * @csspart host-request - A host's request to you ("asks you to unmute", "muted your microphone") with its buttons.
 * @csspart removed - The "You were removed from the call" screen.
 * @csspart watching - "N watching": how many viewers (tokens without `canPublish`) the room has, when it has any.
 *
 * @cssprop --call-room-background - Room background. Default: var(--call-color-surface, #ffffff).
 * @cssprop --call-room-gap - Space between tiles. Default: var(--call-space-s, 8px).
 * @cssprop --call-room-radius - Corner radius. Default: var(--call-radius-m, 8px).
 * @cssprop --call-room-min-height - Minimum height. Default: 360px.
 *
 * @cssstate idle - Not joined yet: the pre-join screen, a Join button (`without-prejoin manual-join`), or no token endpoint.
 * @cssstate joining - Getting a token and connecting.
 * @cssstate joined - In the call.
 * @cssstate reconnecting - The connection dropped and is being restored.
 * @cssstate left - The user left.
 * @cssstate error - The call could not go on; the message says why.
 * @cssstate audio-blocked - The browser blocks audio until the user clicks.
 * @cssstate removed - A host removed you from the call.
 * @cssstate viewer - This page only watches (its token has no `canPublish`): no camera or microphone, no tile of its own, and controls reduced to chat (where the token allows), settings (speaker) and leave.
 *
 * @dependency call-prejoin
 * @dependency participant-list
 * @dependency breakout-panel
 * @dependency breakout-banner
 * @dependency video-tile
 * @dependency call-controls
 * @dependency device-picker
 */
export class CallRoom extends BaseElement {
  static override styles = [
    BaseElement.styles,
    tokenStyles,
    visuallyHiddenStyles,
    micMeterStyles,
    menuStyles,
    styles,
  ];

  // PUBLIC API
  /** The site's endpoint that grants room tokens: `POST { room, name? }` → `{ token, serverUrl? }`. */
  @property({ attribute: 'token-endpoint' }) tokenEndpoint = '';

  /** The room to join. */
  @property() room = '';

  /** The name to ask the token endpoint for. */
  @property({ attribute: 'display-name' }) displayName = '';

  /** Join with the microphone off (it can be turned on in the call). */
  @property({ type: Boolean }) muted = false;

  /** Join with the camera off (it can be turned on in the call). */
  @property({ type: Boolean, attribute: 'camera-off' }) cameraOff = false;

  /**
   * Skip the pre-join screen (camera preview, name, devices): join as soon as `token-endpoint` and `room` are
   * set, for kiosk-style embeds. With `manual-join` too, a lone Join button waits for a click instead.
   */
  @property({ type: Boolean, attribute: 'without-prejoin' }) withoutPrejoin = false;

  /** With `without-prejoin`: show a Join button instead of joining at once. */
  @property({ type: Boolean, attribute: 'manual-join' }) manualJoin = false;

  /**
   * `grid` shows everyone alike; `speaker` puts whoever spoke last large, the others in a strip. A pinned tile
   * or a shared screen takes the large place in either. People switch it from the controls.
   */
  @property({ reflect: true }) layout: 'grid' | 'speaker' = 'grid';

  /**
   * Turns the keyboard shortcuts off (Ctrl+D / ⌘+D microphone, Ctrl+E / ⌘+E camera, ? to list them). They never
   * fire while typing in a field.
   */
  @property({ type: Boolean, attribute: 'without-shortcuts' }) withoutShortcuts = false;

  /**
   * The most remote videos shown (and pulled) at once: pinned participants, then the most recent speakers;
   * everyone else is listed on a "+N" tile. Default (0): 9, or 4 on a phone-sized room; a shared screen takes
   * one of the places.
   */
  @property({ type: Number, attribute: 'max-video' }) maxVideo = 0;

  /**
   * The most the camera sends, in kbps (all simulcast layers together); 0 (default) sets no cap. Applied to
   * the live camera without renegotiation.
   */
  @property({ type: Number, attribute: 'max-bitrate' }) maxBitrate = 0;

  /**
   * Data saver: every video is received on its lowest simulcast layer, and the camera's highest layer is not
   * sent. For metered connections.
   */
  @property({ type: Boolean, attribute: 'data-saver', reflect: true }) dataSaver = false;

  /**
   * Connect the media only when the person joins. By default the pre-join screen already creates the SFU
   * session and connects ICE and DTLS (nothing is published or pulled, nobody is told), so the call starts
   * sooner; a site that must not reach the media server before the person joins sets this. Read when the
   * session is created.
   */
  @property({ type: Boolean, attribute: 'connect-on-join' }) connectOnJoin = false;

  /** Don't announce joins, leaves, raised hands and reactions to screen readers. */
  @property({ type: Boolean, attribute: 'without-announcements' }) withoutAnnouncements = false;

  /** No reactions: no button in the controls, nothing floats over the tiles or is announced. */
  @property({ type: Boolean, attribute: 'without-reactions' }) withoutReactions = false;

  /** Bring your own session (a `CallSession` you created, or a fake in tests); attributes are then ignored. */
  @property({ attribute: false }) session?: CallSessionLike;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  /** Everyone in the call, the local participant first. */
  get participants(): readonly CallParticipant[] {
    return this.#participants.value ?? [];
  }

  /** The call's breakout rooms (the plan, where you are, host actions), for custom UIs; undefined before a session. */
  get breakouts(): CallBreakouts | undefined {
    return this.#activeSession()?.breakouts;
  }

  /** Where the call is. */
  get state(): CallState {
    return this.#state.value ?? 'idle';
  }

  /** Joins the room (fetches a token first). Resolves once connecting has started or failed. */
  async join(): Promise<void> {
    this.#ensureSession();
    await this.#activeSession()
      ?.join()
      .catch(() => undefined); // reported through errors$ and the error state
  }

  /** Leaves the room; the element shows a "join again" screen. */
  async leave(): Promise<void> {
    await this.#activeSession()?.leave();
  }

  // INTERNAL STATE
  @state() private settingsOpen = false;
  @state() private announcement = '';
  @state() private lastError?: CallErrorDetail;
  /** A device problem shown over the call until dismissed; the call goes on. */
  @state() private notice?: CallErrorDetail;
  /** The tile pinned on this page (`participantId/source`); nobody else sees the pin. */
  @state() private pinned?: string;
  /** Whose connection details show. */
  @state() private details?: { readonly participantId: string; readonly source: VideoSource };
  @state() private participantsOpen = false;
  @state() private chatOpen = false;
  readonly #chatUnread = new ChatUnreadController(
    this,
    () => this.#activeSession()?.chat,
    () => this.chatOpen,
  );
  @state() private helpOpen = false;
  /** Whoever spoke last: the speaker view keeps them large through a silence. */
  @state() private lastSpeaker?: string;
  @state() private audioBlocked = false;
  /** Reactions floating over tiles now. */
  @state() private floating: readonly CallReaction[] = [];
  /** A host's latest request to the user, until answered or dismissed. */
  @state() private hostRequest?: CallHostRequest;
  @state() private removed = false;
  /** The raised hands last seen, to tell who raised or lowered; undefined until the first look. */
  #knownHands?: readonly RaisedHand[];
  #spotlight?: string;
  #spotlightSeen = false;

  readonly #provider = new ContextProvider(this, { context: callSessionContext });
  readonly #shortcuts = new ShortcutsController(this, {
    enabled: () => !this.withoutShortcuts && this.state === 'joined',
    actions: {
      toggleMic: () => this.#toggleLocal('microphone'),
      toggleCamera: () => this.#toggleLocal('camera'),
      toggleHand: () => {
        const self = this.participants.find((p) => p.isLocal);
        if (self) this.#activeSession()?.setHandRaised?.(!self.handRaised);
      },
      showHelp: () => (this.helpOpen = true),
    },
  });
  readonly #localMedia = new ObservableController<LocalMediaState>(
    this,
    () => this.#activeSession()?.localMedia$,
  );
  /** Short ids for each tile's menu (participant ids can hold any character). */
  readonly #tileIds = new ShortIds();
  readonly #stageSize = new ElementSizeController(this, '[part~="stage"][data-layout="grid"]');
  /** The room's own size, observed: reading `clientWidth` after each update would force a layout. */
  readonly #baseSize = new ElementSizeController(this, '[part~="base"]');
  /** The microphone level, measured only while the settings show it. */
  readonly #micLevel = new ObservableController<number>(this, () =>
    this.settingsOpen && !this.#isViewer() ? this.#activeSession()?.micLevel$ : undefined,
  );
  readonly #t = new LocalizeController(this, () => this.strings);
  #ownSession?: CallSession;
  #ownSessionKey = '';
  /** The stage size last given to which session. */
  #appliedStage: { session?: CallSessionLike; maxVideo?: number } = {};
  /** The bandwidth caps last given to which session. */
  #appliedCaps: { session?: CallSessionLike; maxBitrate?: number; dataSaver?: boolean } = {};
  #disconnectTimer?: ReturnType<typeof setTimeout>;
  /** `audio="false"` and the like, until they are removed: the switch each one turned off. */
  readonly #deprecatedOff = new Set<string>();

  readonly #state = new ObservableController<CallState>(
    this,
    () => this.#activeSession()?.state$,
    (state) => this.#handleState(state),
  );
  readonly #participants = new ObservableController<readonly CallParticipant[]>(
    this,
    () => this.#activeSession()?.participants$,
  );
  readonly #watching = new ObservableController<number>(this, () => this.#activeSession()?.watching$);
  constructor() {
    super();
    // Followed only for their side effects (events, states); the values are not rendered.
    new ObservableController<CallChange>(
      this,
      () => this.#activeSession()?.changes$,
      (change) => this.#handleChange(change),
    );
    new ObservableController<CallErrorDetail>(
      this,
      () => this.#activeSession()?.errors$,
      (detail) => this.#handleError(detail),
    );
    new ObservableController<readonly string[]>(
      this,
      () => this.#activeSession()?.stage$,
      (stage) => this.#handleStage(stage),
    );
    new ObservableController<CallReaction>(
      this,
      () => this.#activeSession()?.reactions$,
      (reaction) => this.#handleReaction(reaction),
    );
    new ObservableController<readonly RaisedHand[]>(
      this,
      () => this.#activeSession()?.hands$,
      (hands) => this.#handleHands(hands),
    );
    new ObservableController<string | undefined>(
      this,
      () => this.#activeSession()?.spotlight$,
      (spotlight) => this.#handleSpotlight(spotlight),
    );
    new ObservableController<CallHostRequest>(
      this,
      () => this.#activeSession()?.hostRequests$,
      (request) => (this.hostRequest = request),
    );
    new ObservableController<boolean>(
      this,
      () => this.#activeSession()?.removed$,
      (removed) => this.#handleRemoved(removed),
    );
    new ObservableController<BreakoutPlace>(
      this,
      () => this.#activeSession()?.breakouts?.current$,
      (room) => this.#handleBreakout(room),
    );
    new ObservableController<boolean>(
      this,
      () => this.#activeSession()?.audioBlocked$,
      (blocked) => {
        this.audioBlocked = blocked;
        this.setCustomState('audio-blocked', blocked);
      },
    );
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    const replacement = DEPRECATED_SWITCHES[name];
    if (!replacement) return;
    if (saysOff(value)) {
      console.warn(`<call-room>: ${name}="${value}" is deprecated and will be removed; use ${replacement}.`);
      this.#deprecatedOff.add(name);
    } else this.#deprecatedOff.delete(name);
    this.requestUpdate();
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, ...Object.keys(DEPRECATED_SWITCHES)];
  }

  #activeSession(): CallSessionLike | undefined {
    return this.session ?? this.#ownSession;
  }

  /** Creates the session from the attributes; a changed room or endpoint means a new session. */
  #ensureSession(): void {
    if (this.session || !this.tokenEndpoint || !this.room) return;
    const key = `${this.tokenEndpoint}\n${this.room}`;
    if (this.#ownSession && this.#ownSessionKey === key) return;
    void this.#ownSession?.leave();
    this.#ownSessionKey = key;
    this.#ownSession = new CallSession({
      tokenEndpoint: this.tokenEndpoint,
      room: this.room,
      displayName: this.displayName || undefined,
      audio: !this.muted && !this.#deprecatedOff.has('audio'),
      video: !this.cameraOff && !this.#deprecatedOff.has('video'),
      maxBitrateKbps: this.maxBitrate > 0 ? this.maxBitrate : undefined,
      dataSaver: this.dataSaver,
      earlyConnect: !this.connectOnJoin,
    });
    this.#appliedCaps = { session: this.#ownSession, maxBitrate: this.maxBitrate, dataSaver: this.dataSaver };
  }

  // LIFECYCLE
  override connectedCallback(): void {
    super.connectedCallback();
    clearTimeout(this.#disconnectTimer);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A DOM move reconnects at once; a real removal ends the call after the grace period.
    this.#disconnectTimer = setTimeout(() => void this.#ownSession?.leave(), DISCONNECT_GRACE_MS);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.setCustomState('viewer', this.#isViewer());
    if (changed.has('tokenEndpoint') || changed.has('room') || changed.has('session')) {
      this.#ensureSession();
      this.#provider.setValue(this.#activeSession());
      const session = this.#activeSession();
      const autojoin = this.withoutPrejoin && !this.manualJoin && !this.#deprecatedOff.has('autojoin');
      if (session && !this.session && autojoin && this.isConnected) void this.join();
    }
  }

  // HANDLERS
  #handleState(state: CallState): void {
    for (const s of STATES) this.setCustomState(s, s === state);
    if (state !== 'joined') this.settingsOpen = false;
    if (state === 'joining' && this.#activeSession()?.joiningConnected) this.stageOnly = true;
    else if (state === 'joined') this.#showChromeSoon();
    else this.stageOnly = false;
  }

  /** The session's changes as DOM events and screen-reader announcements. */
  #handleChange(change: CallChange): void {
    switch (change.type) {
      case 'state':
        return void this.dispatchEvent(
          new CallStateChangeEvent({ state: change.state, previous: change.previous }),
        );
      case 'self-joined':
        return void this.dispatchEvent(
          new CallJoinedEvent({ room: this.room, participant: change.participant }),
        );
      case 'self-left':
        return void this.dispatchEvent(new CallLeftEvent({ room: this.room, reason: change.reason }));
      case 'participant-joined':
        this.dispatchEvent(new CallParticipantJoinedEvent({ participant: change.participant }));
        return this.#announce(this.#t.term('participantJoined', change.participant.name));
      case 'participant-left':
        this.dispatchEvent(new CallParticipantLeftEvent({ participant: change.participant }));
        return this.#announce(this.#t.term('participantLeft', change.participant.name));
      case 'media': {
        const { participant, kind, enabled, reason } = change;
        return void this.dispatchEvent(new CallMediaChangeEvent({ participant, kind, enabled, reason }));
      }
      case 'active-speaker':
        if (change.participant && !change.participant.isLocal) this.lastSpeaker = change.participant.id;
        return void this.dispatchEvent(
          new CallActiveSpeakerChangeEvent({ participant: change.participant, previous: change.previous }),
        );
    }
  }

  #handleStage(stage: readonly string[]): void {
    const remote = this.participants.filter((p) => !p.isLocal);
    const byId = new Map(remote.map((p) => [p.id, p]));
    this.dispatchEvent(
      new CallStageChangeEvent({
        stage: stage.map((id) => byId.get(id)).filter((p): p is CallParticipant => p !== undefined),
        offStage: remote.filter((p) => !stage.includes(p.id)),
      }),
    );
  }

  #handleReaction(reaction: CallReaction): void {
    const participant = this.participants.find((p) => p.id === reaction.participantId);
    if (!participant) return;
    this.dispatchEvent(new CallReactionEvent({ participant, emoji: reaction.emoji }));
    if (this.withoutReactions) return;
    const others = this.floating.filter((r) => r.participantId === reaction.participantId);
    const dropped = new Set(others.slice(0, Math.max(0, others.length - MAX_FLOATING_PER_TILE + 1)));
    this.floating = [...this.floating.filter((r) => !dropped.has(r)), reaction];
    setTimeout(() => (this.floating = this.floating.filter((r) => r !== reaction)), REACTION_MS);
    this.#announce(this.#t.term('reactedWith', participant.name, reaction.emoji));
  }

  /** Who raised or lowered a hand since last time, as events; raised hands are announced. */
  #handleHands(hands: readonly RaisedHand[]): void {
    const before = this.#knownHands;
    this.#knownHands = hands;
    if (!before) return; // what is already true when the room starts listening is not news
    const byId = new Map(this.participants.map((p) => [p.id, p]));
    const up = hands.map((h) => byId.get(h.participantId)).filter((p): p is CallParticipant => Boolean(p));
    const was = new Set(before.map((h) => h.participantId));
    const now = new Set(hands.map((h) => h.participantId));
    for (const id of now) {
      if (was.has(id)) continue;
      const participant = byId.get(id);
      if (!participant) continue;
      this.dispatchEvent(new CallHandChangeEvent({ participant, raised: true, hands: up }));
      if (!participant.isLocal) this.#announce(this.#t.term('raisedHandOf', participant.name));
    }
    for (const id of was) {
      const participant = byId.get(id);
      if (now.has(id) || !participant) continue;
      this.dispatchEvent(new CallHandChangeEvent({ participant, raised: false, hands: up }));
    }
  }

  #handleSpotlight(spotlight: string | undefined): void {
    const previous = this.#spotlight;
    this.#spotlight = spotlight;
    const first = !this.#spotlightSeen;
    this.#spotlightSeen = true;
    if (previous === spotlight || (first && spotlight === undefined)) return;
    const find = (id: string | undefined) => this.participants.find((p) => p.id === id);
    this.dispatchEvent(
      new CallSpotlightChangeEvent({ participant: find(spotlight), previous: find(previous) }),
    );
  }

  #handleRemoved(removed: boolean): void {
    const was = this.removed;
    this.removed = removed;
    this.setCustomState('removed', removed);
    if (removed && !was) {
      this.hostRequest = undefined;
      this.dispatchEvent(new CallRemovedEvent({ room: this.room }));
    }
  }

  #answerHostRequest(unmute: boolean): void {
    if (unmute) this.#activeSession()?.setMicEnabled(true);
    this.hostRequest = undefined;
  }

  /** Where the local user is among the breakout rooms: an event and an announcement when it changes. */
  #breakoutRoom?: BreakoutPlace;
  #handleBreakout(room: BreakoutPlace): void {
    const previous = this.#breakoutRoom;
    this.#breakoutRoom = room;
    if (!previous || previous.id === room.id) return;
    this.dispatchEvent(new CallBreakoutChangeEvent({ room, previous }));
    this.#announce(this.#t.term('breakoutMovedTo', room.name));
  }

  #handleError(detail: CallErrorDetail): void {
    this.lastError = detail;
    if (DEVICE_ERRORS.has(detail.code)) this.notice = detail;
    this.dispatchEvent(new CallErrorEvent(detail));
  }

  #announce(text: string): void {
    if (!this.withoutAnnouncements) this.announcement = text;
  }

  #handleSettingsToggle = (event: Event): void => {
    event.stopPropagation();
    this.settingsOpen = (event as Partial<CallSettingsToggleEvent>).detail?.open ?? !this.settingsOpen;
  };

  #handleCancel = async (): Promise<void> => {
    const session = this.#activeSession();
    await session?.leave();
    // Leaving sets the left state; with a pre-join screen the way back in is that screen.
    if (session === this.#ownSession && !this.withoutPrejoin) this.#restartSession();
  };

  /** A fresh session for the same room: back to `idle`, so the pre-join screen shows again. */
  #restartSession(): void {
    this.#ownSessionKey = '';
    this.#ensureSession();
    this.#provider.setValue(this.#activeSession());
    this.requestUpdate();
  }

  #toggleLocal(kind: 'microphone' | 'camera'): void {
    const media = this.#localMedia.value;
    const session = this.#activeSession();
    if (!media || !session || !media.canPublish || media.devicesBlocked) return;
    if (kind === 'microphone') session.setMicEnabled(!media.micOn);
    else session.setCameraEnabled(!media.cameraOn);
  }

  /** Pins one tile (`participantId\nsource`) on this page, which keeps its video on the stage; or unpins. */
  #pin(key: string | undefined): void {
    const session = this.#activeSession();
    const [previous] = this.pinned?.split('\n') ?? [];
    const [next] = key?.split('\n') ?? [];
    if (previous && previous !== next) session?.setPinned(previous, false);
    if (next) session?.setPinned(next, true);
    this.pinned = key;
  }

  #handleChatToggle = (event: CallChatToggleEvent): void => {
    event.stopPropagation();
    this.chatOpen = event.detail.open;
    // Loaded on first use: the main bundle stays small for pages that never open the chat.
    if (this.chatOpen) void import('../../define/call-chat.js');
  };

  #handleParticipantsToggle = (event: CallParticipantsToggleEvent): void => {
    event.stopPropagation();
    this.participantsOpen = event.detail.open;
  };

  #handleLayoutChange = (event: CallLayoutChangeEvent): void => {
    this.layout = event.detail.layout;
  };

  #handleEnableAudio(): void {
    void this.#activeSession()?.resumeAudio();
  }

  /** The stage size in force: the attribute, else one that suits the room's width. */
  #effectiveMaxVideo(): number {
    if (this.maxVideo > 0) return this.maxVideo;
    const width = this.#stageSize.width || this.#baseSize.width;
    return width && width < PHONE_WIDTH ? PHONE_MAX_VIDEO : DESKTOP_MAX_VIDEO;
  }

  protected override updated(): void {
    const session = this.#activeSession();
    const maxVideo = this.#effectiveMaxVideo();
    if (session && (session !== this.#appliedStage.session || maxVideo !== this.#appliedStage.maxVideo)) {
      this.#appliedStage = { session, maxVideo };
      session.setMaxVideo(maxVideo);
    }
    this.#applyCaps(session);
    // Each dialog follows its state: shown modal when it turns on, closed (focus returns) when off. Looked up
    // only when a state moved (or its dialog was rendered anew), not on every update of a busy call.
    const dialogs = {
      settings: this.settingsOpen,
      'connection-details': Boolean(this.details),
      help: this.helpOpen,
    };
    for (const [part, open] of Object.entries(dialogs)) this.#syncDialog(part, open);
  }

  /** max-bitrate and data-saver follow their attributes during the call. */
  #applyCaps(session: CallSessionLike | undefined): void {
    const applied = this.#appliedCaps;
    if (!session) return;
    const fresh = session !== applied.session;
    if (fresh || this.maxBitrate !== applied.maxBitrate) {
      if (!fresh || this.maxBitrate > 0)
        session.setMaxBitrate?.(this.maxBitrate > 0 ? this.maxBitrate : undefined);
    }
    if ((fresh && this.dataSaver) || (!fresh && this.dataSaver !== applied.dataSaver)) {
      session.setDataSaver?.(this.dataSaver);
    }
    this.#appliedCaps = { session, maxBitrate: this.maxBitrate, dataSaver: this.dataSaver };
  }

  /** Each dialog as last synced, and whether it was open then. */
  readonly #syncedDialogs = new Map<string, { dialog: HTMLDialogElement | null; open: boolean }>();

  #syncDialog(part: string, open: boolean): void {
    const synced = this.#syncedDialogs.get(part);
    if (synced && synced.open === open && synced.dialog?.isConnected && synced.dialog.open === open) return;
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>(`dialog[part~="${part}"]`);
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
    this.#syncedDialogs.set(part, { dialog, open });
  }

  // RENDERING
  protected override render() {
    const state = this.state;
    const session = this.#activeSession();
    return html`
      <div part="base" role="region" aria-label=${this.#t.term('call')}>
        ${!session ? this.#renderMessage(this.#t.term('missingConfig')) : this.#renderState(state)}
        ${
          state === 'reconnecting'
            ? html`<div part="banner" role="status">${this.#t.term('reconnecting')}</div>`
            : nothing
        }
        ${this.notice && (state === 'joined' || state === 'reconnecting') ? this.#renderNotice(this.notice) : nothing}
        ${this.hostRequest && (state === 'joined' || state === 'reconnecting') ? this.#renderHostRequest(this.hostRequest) : nothing}
        ${
          this.audioBlocked && (state === 'joined' || state === 'reconnecting')
            ? html`<button part="audio-prompt button" type="button" @click=${this.#handleEnableAudio}>
                ${this.#t.term('enableAudio')}
              </button>`
            : nothing
        }
        <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      </div>
    `;
  }

  /**
   * Whether the call shows only its stage: from a join that connected early until its first frame is likely
   * painted. Controls, dialogs and banners are the larger part of the call's first render, and rendered while
   * the first pull negotiates they would hold up its answer and the first frame.
   */
  @state() private stageOnly = false;
  #chromeScheduled = false;

  /**
   * The rest of the call once the next two frames (the first video frame's) have been painted, or after a
   * second (animation frames stop in a hidden page).
   */
  #showChromeSoon(): void {
    if (!this.stageOnly || this.#chromeScheduled) return;
    this.#chromeScheduled = true;
    const show = () => {
      this.#chromeScheduled = false;
      this.stageOnly = false;
    };
    const fallback = setTimeout(show, CHROME_FALLBACK_MS);
    requestAnimationFrame(() =>
      requestAnimationFrame(() =>
        setTimeout(() => {
          clearTimeout(fallback);
          show();
        }),
      ),
    );
  }

  #renderState(state: CallState) {
    switch (state) {
      case 'idle':
        if (!this.withoutPrejoin) {
          return html`<call-prejoin
            part="prejoin"
            room=${this.room}
            display-name=${this.displayName}
            .strings=${this.strings}
          ></call-prejoin>`;
        }
        return this.#renderMessage(
          '',
          html`<button part="button" type="button" @click=${() => this.join()}>
            ${this.#t.term('join')}
          </button>`,
        );
      case 'joining':
        // The pre-join screen connected the media already: the call shows at once, its tiles waiting for video.
        if (this.#activeSession()?.joiningConnected) return this.#renderCall();
        return this.#renderMessage(
          this.#t.term('joining'),
          html`<div class="spinner" aria-hidden="true"></div>
            ${this.#cancelButton()}`,
        );
      case 'left':
        return this.#renderMessage(
          this.#t.term('leftCall'),
          html`<button part="button" type="button" @click=${() => this.join()}>
            ${this.#t.term('rejoin')}
          </button>`,
        );
      case 'error': {
        if (this.removed) return this.#renderRemoved();
        const error = this.lastError;
        return this.#renderMessage(
          error ? this.#t.term(errorTerms[error.code]) : this.#t.term('callError'),
          html`<div class="actions">
              <button part="button" type="button" @click=${() => this.join()}>
                ${this.#t.term('retry')}
              </button>
              ${this.#cancelButton()}
            </div>
            ${
              error
                ? html`<details part="details">
                    <summary>${this.#t.term('details')}</summary>
                    <code>${error.code}</code>: ${error.message}
                  </details>`
                : nothing
            }`,
        );
      }
      default:
        return this.#renderCall();
    }
  }

  /** Back to where the user came from: the pre-join screen, or the "left" screen without one. */
  #cancelButton() {
    return html`<button part="cancel" class="secondary" type="button" @click=${this.#handleCancel}>
      ${this.#t.term('cancel')}
    </button>`;
  }

  /** Final: the same token can't rejoin, so there is no Try again. */
  #renderRemoved() {
    return html`<div part="removed message" role="alert">
      <p class="removed-title">${this.#t.term('removedFromCall')}</p>
      <p class="removed-detail">${this.#t.term('removedDetail')}</p>
    </div>`;
  }

  /** Asking to unmute only asks: the user decides. A mute or stop has already happened; it is only told. */
  #renderHostRequest(request: CallHostRequest) {
    const host = this.participants.find((p) => p.id === request.by)?.name ?? this.#t.term('aHost');
    if (request.request === 'ask-unmute') {
      return html`<div part="host-request" role="alertdialog" aria-labelledby="host-request-text">
        <p id="host-request-text">${this.#t.term('askedToUnmute', host)}</p>
        <div class="actions">
          <button class="secondary" type="button" @click=${() => this.#answerHostRequest(false)}>
            ${this.#t.term('notNow')}
          </button>
          <button part="button" type="button" @click=${() => this.#answerHostRequest(true)}>
            ${this.#t.term('unmute')}
          </button>
        </div>
      </div>`;
    }
    const text = request.request === 'mute-mic' ? 'mutedByHost' : 'cameraStoppedByHost';
    return html`<div part="host-request" role="alert">
      <p>${this.#t.term(text, host)}</p>
      <button class="secondary" type="button" @click=${() => (this.hostRequest = undefined)}>
        ${this.#t.term('dismiss')}
      </button>
    </div>`;
  }

  #renderNotice(notice: CallErrorDetail) {
    return html`<div part="notice" role="alert">
      <p>${this.#t.term(errorTerms[notice.code])}</p>
      <button class="secondary" type="button" @click=${() => (this.notice = undefined)}>
        ${this.#t.term('dismiss')}
      </button>
    </div>`;
  }

  #renderMessage(text: string, action: unknown = nothing) {
    return html`<div part="message" role=${text ? 'status' : nothing}>
      ${text ? html`<p>${text}</p>` : nothing}${action}
    </div>`;
  }

  /** This page only watches: the token has no publish right. */
  #isViewer(): boolean {
    return this.#localMedia.value?.viewer === true;
  }

  #renderCall() {
    // A viewer has no camera, so no tile of its own: the stage is the publishers'.
    const viewer = this.#isViewer();
    const participants = viewer ? this.participants.filter((p) => !p.isLocal) : this.participants;
    const presenting = participants.some((p) => p.isLocal && p.screenOn);
    const featured = this.#featured(participants);
    const isFeatured = (p: CallParticipant, source: VideoSource) =>
      featured.some((f) => f.participant === p && f.source === source);
    const offStage = participants.filter((p) => !p.onStage);
    const cameras = [
      ...participants
        .filter((p) => p.onStage && !isFeatured(p, 'camera'))
        .map((p) => this.#renderTile(p, 'camera')),
      ...(offStage.length ? [this.#renderOthers(offStage)] : []),
    ];
    // Your own screen, full size, would be a hall of mirrors: others' screens take the stage, yours a notice.
    const stage =
      featured.length || presenting
        ? html`<div part="stage" data-layout="spotlight">
            <div class="spotlight">
              ${featured.length ? featured.map((f) => this.#renderTile(f.participant, f.source)) : this.#renderPresenting()}
            </div>
            <div class="strip">${cameras}</div>
          </div>`
        : this.#renderGrid(participants, cameras.length, cameras);
    if (this.stageOnly) return stage;
    return html`
      <breakout-banner part="breakout-banner" .strings=${this.strings}></breakout-banner>
      ${presenting && featured.length ? this.#renderPresenting() : nothing} ${this.#renderWatching()} ${stage}
      <slot></slot>
      ${this.participantsOpen ? this.#renderPeople() : nothing}
      ${this.chatOpen ? this.#renderChat() : nothing}
      <div
        part="controls"
        @call-chat-toggle=${this.#handleChatToggle}
        @call-settings-toggle=${this.#handleSettingsToggle}
        @call-participants-toggle=${this.#handleParticipantsToggle}
        @call-layout-change=${this.#handleLayoutChange}
      >
        <slot name="controls"
          ><call-controls
            ?settings-open=${this.settingsOpen}
            ?participants-open=${this.participantsOpen}
            ?chat-open=${this.chatOpen}
            chat-unread=${this.#chatUnread.unread}
            layout=${this.layout}
            ?without-reactions=${this.withoutReactions}
          ></call-controls
        ></slot>
      </div>
      ${this.#renderSettings()} ${this.#renderDetails()} ${this.#renderHelp()}
    `;
  }

  /**
   * What takes the large place: others' shared screens; else the pinned tile; else, in the speaker view, whoever
   * spoke last (or the first other person). Nothing in the grid view.
   */
  #featured(
    participants: readonly CallParticipant[],
  ): { participant: CallParticipant; source: VideoSource }[] {
    const screens = participants.filter((p) => !p.isLocal && p.screenOn && p.video.screen);
    if (screens.length) return screens.map((participant) => ({ participant, source: 'screen' }));
    const [pinnedId, pinnedSource] = this.pinned?.split('\n') ?? [];
    const pinned = participants.find((p) => p.id === pinnedId);
    if (pinned) return [{ participant: pinned, source: pinnedSource === 'screen' ? 'screen' : 'camera' }];
    // A host's spotlight takes the large place for everyone (in either layout), after this page's own pin.
    const spotlit = participants.find((p) => p.spotlighted);
    if (spotlit) return [{ participant: spotlit, source: 'camera' }];
    if (this.layout !== 'speaker') return [];
    const others = participants.filter((p) => !p.isLocal);
    const speaker = others.find((p) => p.id === this.lastSpeaker) ?? others[0];
    return speaker ? [{ participant: speaker, source: 'camera' }] : [];
  }

  /** Tiles as large as the stage allows, rows centred, so 3, 5 or 7 people leave no empty cell. */
  #renderGrid(participants: readonly CallParticipant[], count: number, cameras: unknown[]) {
    // Nobody is known before presence's hello: a call shown while joining is not yet "alone".
    const alone = participants.every((p) => p.isLocal) && this.state !== 'joining';
    const waiting = this.#isViewer() ? 'waitingForBroadcast' : 'waitingForOthers';
    const { width, height } = this.#stageSize;
    const fit = width && height ? fitGrid(count, width, height, this.#stageGap()) : undefined;
    const size: Record<`--${string}`, string> = fit
      ? {
          '--_tile-width': `${Math.floor(fit.tileWidth)}px`,
          '--_tile-height': `${Math.floor(fit.tileHeight)}px`,
        }
      : {};
    // Until the stage is measured (within the same frame, before it is painted) the tiles wait unseen.
    return html`<div part="stage" data-layout="grid" ?data-unmeasured=${!fit} ${cssVars(size)}>
      ${cameras}
      ${
        alone
          ? html`<div part="empty" role="status">
              <slot name="empty">${this.#t.term(waiting)}</slot>
            </div>`
          : nothing
      }
    </div>`;
  }

  /** How many watch without publishing; shown once anyone does. */
  #renderWatching() {
    const count = this.#watching.value ?? 0;
    if (count === 0) return nothing;
    return html`<p part="watching">
      <span class="eye" aria-hidden="true">${icon(EYE_ICON)}</span>${this.#t.term('watching', String(count))}
    </p>`;
  }

  /** The gap between tiles, as the stage's styles resolve it. */
  #stageGap(): number {
    const stage = this.renderRoot.querySelector('[part~="stage"]');
    return stage ? parseFloat(getComputedStyle(stage).columnGap) || 0 : 0;
  }

  /** Everyone off the stage as one tile: a few avatars and "+N"; it opens the people panel. */
  #renderOthers(offStage: readonly CallParticipant[]) {
    const names = offStage.map((p) => p.name).join(', ');
    return html`<button
      part="others"
      type="button"
      aria-label=${this.#t.term('othersOffStage', String(offStage.length), names)}
      aria-expanded=${this.participantsOpen ? 'true' : 'false'}
      @click=${() => (this.participantsOpen = !this.participantsOpen)}
    >
      <span class="avatars" aria-hidden="true">
        ${offStage
          .slice(0, OTHERS_AVATARS)
          .map(
            (p) =>
              html`<span class="avatar" ${cssVars({ '--_hue': String(hueOf(p.id)) })}
                >${initialsOf(p.name)}</span
              >`,
          )}
      </span>
      <span class="count" aria-hidden="true">+${offStage.length}</span>
      <span class="names" aria-hidden="true">${names}</span>
    </button>`;
  }

  #renderPresenting() {
    return html`<div part="presenting" role="status">
      <p>${this.#t.term('youArePresenting')}</p>
      <button part="button" type="button" @click=${() => this.#activeSession()?.setScreenShareEnabled(false)}>
        ${this.#t.term('stopPresenting')}
      </button>
    </div>`;
  }

  /**
   * One tile, and its menu: pin, full screen, connection details. The menu button is the tile's one Tab stop;
   * the quality bars show only when the connection is fair or poor.
   */
  #renderTile(participant: CallParticipant, source: VideoSource) {
    const key = `${participant.id}\n${source}`;
    const menuId = `menu-${this.#tileIds.id(key)}`;
    const pinned = this.pinned === key;
    return html`<video-tile
        part="tile"
        .participant=${participant}
        source=${source}
        data-key=${key}
        ?mirrored=${participant.isLocal && source === 'camera'}
        quality-indicator="issues"
      >
        ${source === 'camera' ? this.#renderReactions(participant.id) : nothing}
        <button
          slot="end"
          part="tile-menu-button"
          class="tile-menu-button"
          type="button"
          popovertarget=${menuId}
          aria-label=${this.#t.term('moreOptionsFor', participant.name)}
        >
          ${icon(MORE_ICON)}
        </button>
      </video-tile>
      <div popover id=${menuId} part="tile-menu" class="menu" @toggle=${this.#placeMenu}>
        <button
          type="button"
          @click=${() => this.#closeMenu(menuId, () => this.#pin(pinned ? undefined : key))}
        >
          ${this.#t.term(pinned ? 'unpin' : 'pin')}
        </button>
        <button type="button" @click=${() => this.#closeMenu(menuId, () => this.#fullscreen(key))}>
          ${this.#t.term('fullscreen')}
        </button>
        <button
          type="button"
          @click=${() => this.#closeMenu(menuId, () => (this.details = { participantId: participant.id, source }))}
        >
          ${this.#t.term('connectionDetails')}
        </button>
      </div>`;
  }

  /** Reactions floating over one tile; decorative (announced through the live region instead). */
  #renderReactions(participantId: string) {
    return repeat(
      this.floating.filter((r) => r.participantId === participantId),
      (r) => r.id,
      (r) =>
        html`<span
          slot="overlay"
          part="reaction"
          class="reaction"
          aria-hidden="true"
          ${cssVars({ '--_drift': `${(hashOf(r.id) % 60) - 30}%` })}
          >${r.emoji}</span
        >`,
    );
  }

  /** Opens a tile's menu next to its button (popovers live in the top layer, away from the tile). */
  #placeMenu = (event: ToggleEvent): void => {
    const menu = event.target as HTMLElement;
    if (event.newState !== 'open') return;
    const button = this.renderRoot.querySelector(`[popovertarget="${menu.id}"]`);
    const box = button?.getBoundingClientRect();
    if (box) {
      menu.style.setProperty('top', `${Math.round(box.bottom + 4)}px`);
      menu.style.setProperty('left', `${Math.round(Math.max(8, box.right - menu.offsetWidth))}px`);
    }
    menu.querySelector('button')?.focus();
  };

  #closeMenu(menuId: string, then: () => void): void {
    this.renderRoot.querySelector<HTMLElement>(`#${menuId}`)?.hidePopover();
    then();
  }

  #fullscreen(key: string): void {
    const tile = [...this.renderRoot.querySelectorAll<HTMLElement>('video-tile')].find(
      (t) => t.dataset.key === key,
    );
    void tile?.requestFullscreen?.().catch(() => undefined); // refused outside a user gesture or in a frame
  }

  /** The chat, beside the stage (full screen on a phone); Escape closes it. */
  #renderChat() {
    return html`<aside
      part="chat"
      aria-label=${this.#t.term('chat')}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.chatOpen = false)}
    >
      <call-chat .strings=${this.strings}></call-chat>
      <button class="close" type="button" @click=${() => (this.chatOpen = false)}>
        ${this.#t.term('closeChat')}
      </button>
    </aside>`;
  }

  /** Everyone in the call, beside the stage; Escape closes it. */
  #renderPeople() {
    return html`<aside
      part="people"
      aria-label=${this.#t.term('participants')}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.participantsOpen = false)}
    >
      <participant-list .strings=${this.strings}></participant-list>
      <breakout-panel part="breakouts" .strings=${this.strings}></breakout-panel>
      <button class="close" type="button" @click=${() => (this.participantsOpen = false)}>
        ${this.#t.term('closePeople')}
      </button>
    </aside>`;
  }

  /** The keyboard shortcuts, as this platform writes them. */
  #renderHelp() {
    const terms = {
      toggleMic: 'shortcutToggleMic',
      toggleCamera: 'shortcutToggleCamera',
      toggleHand: 'shortcutToggleHand',
      showHelp: 'shortcutShowHelp',
    } as const;
    return html`<dialog part="help" aria-labelledby="help-title" @close=${() => (this.helpOpen = false)}>
      ${
        this.helpOpen
          ? html`<div class="settings-body">
              <h2 id="help-title">${this.#t.term('shortcuts')}</h2>
              <dl class="shortcuts">
                ${CALL_SHORTCUTS.map(
                  (s) =>
                    html`<dt>${s.keys[this.#shortcuts.platform].map((k) => html`<kbd>${k}</kbd>`)}</dt>
                      <dd>${this.#t.term(terms[s.id])}</dd>`,
                )}
              </dl>
              <button class="close" type="button" @click=${() => (this.helpOpen = false)}>
                ${this.#t.term('close')}
              </button>
            </div>`
          : nothing
      }
    </dialog>`;
  }

  /** Connection details of one tile, as a dialog like settings. */
  #renderDetails() {
    const details = this.details;
    const who = details && this.participants.find((p) => p.id === details.participantId);
    return html`<dialog
      part="connection-details"
      aria-labelledby="details-title"
      @close=${() => (this.details = undefined)}
    >
      ${
        details && who
          ? html`<div class="settings-body">
              <h2 id="details-title">${this.#t.term('connectionOf', who.name)}</h2>
              <stats-badge
                participant-id=${who.id}
                source=${details.source}
                expanded
                without-announcements
              ></stats-badge>
              <button class="close" type="button" @click=${() => (this.details = undefined)}>
                ${this.#t.term('close')}
              </button>
            </div>`
          : nothing
      }
    </dialog>`;
  }

  /**
   * Settings as a modal dialog: focus moves in, Escape or a click outside closes it, and the browser returns
   * focus to the Settings button. A preview of your camera and a microphone meter sit next to the pickers.
   */
  #renderSettings() {
    // The click handler only catches backdrop clicks; the keyboard's way out is Escape, which the dialog handles.
    // eslint-disable-next-line lit-a11y/click-events-have-key-events
    return html`<dialog
      part="settings"
      aria-labelledby="settings-title"
      @close=${() => (this.settingsOpen = false)}
      @click=${this.#handleSettingsClick}
    >
      ${this.settingsOpen ? this.#renderSettingsBody() : nothing}
    </dialog>`;
  }

  #renderSettingsBody() {
    const session = this.#activeSession();
    // A viewer opens no camera or microphone: only where the sound plays can be chosen.
    if (this.#isViewer()) {
      return html`<div class="settings-body">
        <h2 id="settings-title">${this.#t.term('settings')}</h2>
        <device-picker kind="speaker" .source=${session?.deviceSource('speaker')}></device-picker>
        <button class="close" type="button" @click=${() => (this.settingsOpen = false)}>
          ${this.#t.term('closeSettings')}
        </button>
      </div>`;
    }
    const self = this.participants.find((p) => p.isLocal);
    return html`<div class="settings-body">
      <h2 id="settings-title">${this.#t.term('settings')}</h2>
      ${
        self
          ? html`<video-tile
              class="settings-preview"
              .participant=${self}
              mirrored
              without-quality
            ></video-tile>`
          : nothing
      }
      <div class="meter-row">
        <span id="settings-meter-label">${this.#t.term('micLevel')}</span>
        ${micMeter(this.#micLevel.value ?? 0, 'settings-meter-label')}
      </div>
      ${(['microphone', 'camera', 'speaker'] as const).map(
        (kind) => html`<device-picker kind=${kind} .source=${session?.deviceSource(kind)}></device-picker>`,
      )}
      <button class="close" type="button" @click=${() => (this.settingsOpen = false)}>
        ${this.#t.term('closeSettings')}
      </button>
    </div>`;
  }

  /** A click on the dialog itself, not its content, is a click on the backdrop: outside. */
  #handleSettingsClick = (event: MouseEvent): void => {
    if (event.target === event.currentTarget) this.settingsOpen = false;
  };
}
