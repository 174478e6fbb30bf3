// The presence protocol shared by the widget (src/) and the call server (server/). Browser-safe.
export * from './breakout-schemas.js';
export * from './close-codes.js';
export * from './codec.js';
export * from './error-codes.js';
export * from './limits.js';
export * from './moderation.js';
export * from './proxy-error-codes.js';
export * from './schemas.js';
export * from './session-key.js';
export * from './version.js';
