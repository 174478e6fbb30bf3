// Registers every element. Importing this module is the side effect.
import './define/device-picker.js';

export * from './index.js';
