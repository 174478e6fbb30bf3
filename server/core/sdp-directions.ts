// Does an SDP ask to send media? Used to stop subscribe-only users from smuggling a publication through
// renegotiation or a close offer. Rejected sections (port 0) and data channels don't count.

/** True if any active audio/video section is `sendrecv` or `sendonly` (no direction attribute means sendrecv). */
export function sdpSendsMedia(sdp: string): boolean {
  const lines = sdp.split(/\r?\n/);
  let sessionDirection = 'sendrecv';
  let section: { active: boolean; direction: string | undefined } | undefined;
  const sections: { active: boolean; direction: string | undefined }[] = [];

  for (const line of lines) {
    const media = /^m=(\w+) (\d+)/.exec(line);
    if (media) {
      section = {
        active: (media[1] === 'audio' || media[1] === 'video') && media[2] !== '0',
        direction: undefined,
      };
      sections.push(section);
      continue;
    }
    const direction = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/.exec(line)?.[1];
    if (!direction) continue;
    if (section) section.direction = direction;
    else sessionDirection = direction;
  }
  return sections.some((s) => {
    const direction = s.direction ?? sessionDirection;
    return s.active && (direction === 'sendrecv' || direction === 'sendonly');
  });
}
