import { CallPrejoin } from '../components/call-prejoin/call-prejoin.js';
import './video-tile.js';
import './device-picker.js';

CallPrejoin.define('call-prejoin');

declare global {
  interface HTMLElementTagNameMap {
    'call-prejoin': CallPrejoin;
  }
}
