// The local SFU only ever talks to this machine: helpers that decide what counts as loopback.

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. Names (including `*.local`) are never loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  return ip === '::1' || /^127\.\d+\.\d+\.\d+$/.test(ip) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(ip);
}
