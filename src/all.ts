// Registers every element. Importing this module is the side effect.
import { ContextRoot } from '@lit/context';
import './define/device-picker.js';
import './define/call-room.js';
import './define/video-tile.js';
import './define/call-controls.js';
import './define/stats-badge.js';

// Elements that upgrade before the <call-room> above them still find its session. Once per page, even when
// two copies of the library load.
const ROOT_MARK = Symbol.for('call-elements.context-root');
const page = globalThis as typeof globalThis & { [ROOT_MARK]?: true };
if (typeof document !== 'undefined' && !page[ROOT_MARK]) {
  page[ROOT_MARK] = true;
  new ContextRoot().attach(document.documentElement);
}

export * from './index.js';
