// Registers every element. Importing this module is the side effect.
import './internal/context-root.js'; // first: it must hear the requests of elements that upgrade early
import './define/device-picker.js';
import './define/call-room.js';

export * from './index.js';
