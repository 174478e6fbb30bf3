// Fakes for tests and Storybook, shipped as `call-elements/testing`. Never imported by the elements themselves.
export * from './fake-device-source.js';
export * from './fake-call-session.js';
export * from './fake-chat.js';
export * from './canvas-track.js';
export * from './fake-breakouts.js';
