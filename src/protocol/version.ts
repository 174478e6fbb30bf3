/** Version of the presence protocol. Every frame carries it as `v`; a mismatch is refused, not guessed at. */
export const PROTOCOL_VERSION = 1;
