import type { CallBreakouts } from './breakout-types.js';
import type { CallChat } from './chat-types.js';
import type { Observable } from 'rxjs';
import type { RoomLobby, TrackSource } from '../protocol/index.js';
import type { CallChange } from './call-changes.js';
import type { CallErrorDetail } from './call-error.js';
import type { HostControlsLike } from './host-controls.js';
import type { DeviceKind, DeviceSource } from './media-devices.js';
import type { VideoView } from './layer-steering.js';
import type { SimulcastLayer } from './simulcast.js';

/** How `new CallSession(options)` joins: the token endpoint, the room, and what to publish. */
export interface CallSessionOptions {
  /** The site's endpoint that grants room tokens (`POST { room, name? }` → `{ token, serverUrl? }`). */
  readonly tokenEndpoint: string;
  readonly room: string;
  /** Sent to the token endpoint; the server decides the final name. */
  readonly displayName?: string;
  /** Publish the microphone on join (default true). */
  readonly audio?: boolean;
  /** Publish the camera on join (default true). */
  readonly video?: boolean;
  /**
   * ICE servers for the connection; by default those the token endpoint answered with, else the call
   * server's `generate-ice-servers` answer.
   */
  readonly iceServers?: RTCIceServer[];
  /**
   * A join that has not reached `joined`, or whose media connection has not connected, by then fails with
   * `connection-failed` (default 15 s): never a room that looks joined but carries no media.
   */
  readonly joinTimeoutMs?: number;
  /**
   * The most remote videos (cameras plus shared screens) pulled at once: a stage of pinned participants and
   * the most recent speakers. Default: everyone's. `setMaxVideo()` changes it during the call.
   */
  readonly maxVideo?: number;
  /**
   * The camera's simulcast layers, highest first; `false` sends one layer. Default:
   * `DEFAULT_SIMULCAST_LAYERS` (full, half and quarter resolution at about 1.2 Mbps, 500 and 150 kbps). Each
   * pulled camera then asks for the layer its tiles need. Every page of a room should use the same RIDs.
   */
  readonly simulcast?: readonly SimulcastLayer[] | false;
  /** The most the camera sends, all layers together, in kbps. `setMaxBitrate()` changes it in the call. */
  readonly maxBitrateKbps?: number;
  /**
   * Data saver: every pulled video on its lowest layer, and the camera's highest layer off. `setDataSaver()`
   * changes it in the call.
   */
  readonly dataSaver?: boolean;
  /**
   * Connect the media early (default true): once `startPreview()` has the room token, the SFU session is
   * created and its connection (ICE, DTLS, a DataChannel) brought up, publishing and pulling nothing, so the
   * others' video shows sooner after `join()`. Presence hears of nobody before the join; `stopPreview()` closes
   * it. `false` connects only on `join()`.
   */
  readonly earlyConnect?: boolean;
}

/** Where a call is: `idle` before `join()`, `left` after `leave()`, `error` when it can't go on by itself. */
export type CallState = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'left' | 'error';

/** Which picture of a participant: the camera or the shared screen. */
export type VideoSource = 'camera' | 'screen';

/** One person in the call as the elements show them. Immutable: a change is a new object. */
export interface CallParticipant {
  /** Stable id from the room token. */
  readonly id: string;
  /** Display name from the room token. */
  readonly name: string;
  /** Whether this is the user of this page. */
  readonly isLocal: boolean;
  readonly micOn: boolean;
  readonly cameraOn: boolean;
  readonly screenOn: boolean;
  readonly speaking: boolean;
  readonly handRaised: boolean;
  /** When the hand went up (server time, epoch ms): raised hands are listed in this order. */
  readonly handRaisedAt?: number;
  /** A host spotlighted them: first on everyone's stage. */
  readonly spotlighted?: boolean;
  /** On the stage: its video is pulled (always true for the local participant). */
  readonly onStage: boolean;
  /** Epoch milliseconds. */
  readonly joinedAt: number;
  /** A stream the server brought into the room (WHIP ingest, e.g. OBS), not a person with a browser. */
  readonly streaming?: boolean;
  /** Video tracks by source: the local preview, or the pulled remote track. */
  readonly video: Readonly<Partial<Record<VideoSource, MediaStreamTrack>>>;
  /** The microphone track: local monitor track, or the pulled remote audio. */
  readonly audio?: MediaStreamTrack;
}

/** Network health of one track, from `getStats()` deltas. Fields are absent until measured. */
export interface TrackStats {
  /** Packets lost, percent of expected over the last sample. */
  readonly packetLossPercent?: number;
  readonly jitterMs?: number;
  readonly roundTripTimeMs?: number;
  readonly bitrateKbps?: number;
  readonly framesPerSecond?: number;
  readonly width?: number;
  readonly height?: number;
  /** e.g. `video/VP8`. */
  readonly codec?: string;
  /** A pulled track: how long no bytes have arrived, in ms (0 while media flows). */
  readonly stalledMs?: number;
}

/** The local user's media switches, and the talking-while-muted hint. */
export interface LocalMediaState {
  readonly micOn: boolean;
  readonly cameraOn: boolean;
  readonly screenOn: boolean;
  /** The mic is muted but picks up speech. */
  readonly talkingWhileMuted: boolean;
  /** Whether the page may publish at all: the token's right. */
  readonly canPublish: boolean;
  /**
   * This page only watches (a broadcast's viewer): its token has no publish right, so no camera or microphone
   * is ever opened and it has no tile of its own. Known from the token before joining, else from presence.
   */
  readonly viewer?: boolean;
  /**
   * The browser refused the camera and microphone: their switches can't work until the user allows them again
   * in the site settings. Screen sharing needs no such permission and still works.
   */
  readonly devicesBlocked: boolean;
  /** Whether this browser can share its screen. */
  readonly canShareScreen: boolean;
}

/**
 * What the elements need from a call. `CallSession` implements it against partytracks and the call server;
 * `FakeCallSession` (from `call-elements/testing`) implements it for tests and stories. Observables are stable
 * (memoized per argument), so elements can ask on every render.
 */
export interface CallSessionLike extends Partial<HostControlsLike> {
  /** Chat over the SFU's DataChannels; absent on sessions without chat (e.g. older fakes). */
  readonly chat?: CallChat;
  /** Breakout rooms; absent on sessions without them (e.g. older fakes). */
  readonly breakouts?: CallBreakouts;
  readonly state$: Observable<CallState>;
  /** Everyone in the call, the local participant first, then by join time. */
  readonly participants$: Observable<readonly CallParticipant[]>;
  /** The id of whoever speaks loudest lately, if anyone. */
  readonly activeSpeaker$: Observable<string | undefined>;
  readonly localMedia$: Observable<LocalMediaState>;
  /** Problems as they happen. */
  readonly errors$: Observable<CallErrorDetail>;
  /**
   * What happens, as changes (state moves, joins and leaves, media switches, the active speaker) from the
   * moment of subscription: what is already true then is not news (but who speaks). `<call-room>` turns them
   * into events.
   */
  readonly changes$: Observable<CallChange>;
  /** Whether the browser blocks audio playback until the user interacts with the page. */
  readonly audioBlocked$: Observable<boolean>;
  /** Who is in the room before joining, once `startPreview()` asked; undefined when unknown. */
  readonly lobby$: Observable<RoomLobby | undefined>;
  /** 0..1 loudness of the local microphone, measured on the device: works in the preview too. */
  readonly micLevel$: Observable<number>;
  /** The local camera's track while it is open: the pre-join preview, then the self view. */
  readonly localVideo$: Observable<MediaStreamTrack | undefined>;
  /** Remote participants whose video is pulled, in stable order (see `CallSessionOptions.maxVideo`). */
  readonly stage$: Observable<readonly string[]>;
  /**
   * How many in the room watch without publishing (a broadcast's viewers, counted by the server and updated at
   * most once a second), this page included when it is one. Absent on sessions that don't count (older fakes).
   */
  readonly watching$?: Observable<number>;
  /**
   * While joining: whether the join took over a media connection the pre-join screen made
   * (`CallSessionOptions.earlyConnect`). `<call-room>` then shows the call at once, so the others' tiles are
   * ready before their first video frame arrives. Absent on sessions that never connect early.
   */
  readonly joiningConnected?: boolean;
  /** 0..1 loudness of a participant's microphone. */
  audioLevel$(participantId: string): Observable<number>;
  /** The most remote videos pulled at once; beyond it, participants are listed without video. */
  setMaxVideo(count: number): void;
  /** Pins a participant onto the stage on this page, or unpins. */
  setPinned(participantId: string, pinned: boolean): void;
  /**
   * How one tile shows a participant's video (`viewer` tells tiles apart; undefined once it no longer does):
   * the pull then asks for the simulcast layer that size needs, the lowest while hidden, and is closed after
   * a few seconds hidden. `<video-tile>` reports this itself.
   */
  setVideoView?(
    participantId: string,
    source: VideoSource,
    viewer: object,
    view: VideoView | undefined,
  ): void;
  /** The most the camera sends, in kbps; undefined lifts the cap. */
  setMaxBitrate?(kbps: number | undefined): void;
  /** Data saver on or off: pulls on the lowest layer, the camera's highest layer off. */
  setDataSaver?(on: boolean): void;
  /** Network stats of one participant's track, sampled about once a second while subscribed. */
  stats$(participantId: string, kind: 'audio' | 'video', source?: VideoSource): Observable<TrackStats>;
  /** The session's device sources, so a picker switches the live track. */
  deviceSource(kind: DeviceKind): DeviceSource;
  setMicEnabled(on: boolean): void;
  setCameraEnabled(on: boolean): void;
  setScreenShareEnabled(on: boolean): void;
  /** Retries audio playback after the browser blocked it; call it from a user gesture such as a click. */
  resumeAudio(): Promise<void>;
  /**
   * Before joining: opens the camera and microphone for a preview (the local participant's tracks, also in
   * `localMedia$`), and asks who is in the room (`lobby$`). The join publishes the previewed tracks.
   */
  startPreview(): void;
  /** Closes the preview's devices without joining. */
  stopPreview(): void;
  /** Joins; `displayName` replaces the configured name (a pre-join screen's name field). */
  join(options?: { displayName?: string }): Promise<void>;
  leave(): Promise<void>;
}

export type { RoomLobby, TrackSource, VideoView, SimulcastLayer };
