export * from './call-error.js';
export * from './device-change.js';
