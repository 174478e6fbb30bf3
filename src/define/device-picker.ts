import { DevicePicker } from '../components/device-picker/device-picker.js';

DevicePicker.define('device-picker');

declare global {
  interface HTMLElementTagNameMap {
    'device-picker': DevicePicker;
  }
}
