// Initials avatars, shared by the elements that show a person without a picture (video-tile, participant-list).

/** Up to two initials: first letters of the first and last word, whole graphemes, uppercased. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word?: string) => (word ? [...word][0] : '');
  return (first(words[0]) + (words.length > 1 ? first(words.at(-1)) : '')).toLocaleUpperCase();
}

/** A stable hue (0..359) per participant id, for the initials backdrop. */
export function hueOf(id: string): number {
  let hash = 2166136261;
  for (const c of id) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619);
  return (hash >>> 0) % 360;
}
