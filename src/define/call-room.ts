import { CallRoom } from '../components/call-room/call-room.js';
import './video-tile.js';
import './call-controls.js';
import './device-picker.js';
import './stats-badge.js';
import './call-prejoin.js';
import './participant-list.js';
import './breakout-panel.js';
import './breakout-banner.js';

CallRoom.define('call-room');

declare global {
  interface HTMLElementTagNameMap {
    'call-room': CallRoom;
  }
}
