/** Runs `callback` once after `ms`; returns a function that cancels it. Injected so tests never wait. */
export type Schedule = (ms: number, callback: () => void) => () => void;

// Global timers exist on Node and Workers alike.
export const systemSchedule: Schedule = (ms, callback) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};
