// Classes, events and types. Registers nothing: import `call-elements/all.js` or a `define/*` module for that.
export { DevicePicker } from './components/device-picker/device-picker.js';
export { CallRoom } from './components/call-room/call-room.js';
export { CallSession, type CallSessionOptions } from './core/call-session.js';
export { CallError } from './core/call-error.js';
export type { CallChange } from './core/call-changes.js';
export type {
  CallHostRequest,
  CallReaction,
  HostControlsLike,
  HostRequest,
  ModerationAction,
  RaisedHand,
  Reaction,
} from './core/host-controls.js';
export { REACTIONS } from './protocol/moderation.js';
export type {
  BreakoutNoticeEntry,
  BreakoutPlace,
  BreakoutView,
  CallBreakouts,
} from './core/breakout-types.js';
export { callSessionContext } from './context/call-session-context.js';
export {
  qualityLevel,
  defaultQualityThresholds,
  type QualityLevel,
  type QualityThresholds,
} from './core/quality.js';
export type {
  CallParticipant,
  CallSessionLike,
  CallState,
  LocalMediaState,
  RoomLobby,
  TrackStats,
  VideoSource,
  VideoView,
} from './core/types.js';
export { DEFAULT_SIMULCAST_LAYERS, type SimulcastLayer } from './core/simulcast.js';
export { BaseElement } from './internal/base-element.js';
export * from './events/index.js';
export {
  createDeviceSource,
  statusForMediaError,
  type DeviceKind,
  type DeviceSnapshot,
  type DeviceSource,
  type DeviceStatus,
} from './core/media-devices.js';
export { registerTranslation } from './controllers/localize-controller.js';
export type { Translation } from './translations/en.js';
export { VideoTile } from './components/video-tile/video-tile.js';
export { CallControls } from './components/call-controls/call-controls.js';
export { StatsBadge } from './components/stats-badge/stats-badge.js';
export { CallPrejoin } from './components/call-prejoin/call-prejoin.js';
export { ParticipantList } from './components/participant-list/participant-list.js';
export { BreakoutPanel } from './components/breakout-panel/breakout-panel.js';
export { BreakoutBanner } from './components/breakout-banner/breakout-banner.js';
export {
  CALL_SHORTCUTS,
  ShortcutsController,
  type CallShortcut,
  type ShortcutActions,
  type ShortcutsOptions,
  type ShortcutPlatform,
} from './controllers/shortcuts-controller.js';
