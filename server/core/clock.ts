/** Milliseconds since the epoch. Injected everywhere time matters, so tests never wait for real time. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
