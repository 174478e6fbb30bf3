import { CallPlayer } from '../components/call-player/call-player.js';

CallPlayer.define('call-player');

declare global {
  interface HTMLElementTagNameMap {
    'call-player': CallPlayer;
  }
}
