// Entry of the script-tag bundles (dist/call-elements.js and dist/call-elements.iife.js): registers everything.
export * from './all.js';
