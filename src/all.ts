// Registers every element. Importing this module is the side effect.
import './define/device-picker.js';
import './define/video-tile.js';
import './define/call-controls.js';
import './define/stats-badge.js';

export * from './index.js';
