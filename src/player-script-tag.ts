// Entry of the standalone player bundles (dist/call-player.js and dist/call-player.iife.js): `<call-player>`
// alone, for pages that only watch. Kept out of the main bundle, which stays within its size budget.
import './define/call-player.js';

export { CallPlayer } from './components/call-player/call-player.js';
export { WhepSession, type WhepOptions } from './core/whep-client.js';
export {
  CallPlayerStateChangeEvent,
  type CallPlayerStateChangeDetail,
  type PlayerState,
} from './events/call-player-state-change.js';
export { CallErrorEvent } from './events/call-error.js';
