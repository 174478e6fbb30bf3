import { CallControls } from '../components/call-controls/call-controls.js';

CallControls.define('call-controls');

declare global {
  interface HTMLElementTagNameMap {
    'call-controls': CallControls;
  }
}
