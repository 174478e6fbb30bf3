import type { CallParticipant } from './types.js';

/** One thing that changed between two participant lists, in the vocabulary of the room's DOM events. */
export type ParticipantChange =
  | { readonly type: 'participant-joined' | 'participant-left'; readonly participant: CallParticipant }
  | {
      readonly type: 'media';
      readonly participant: CallParticipant;
      readonly kind: 'audio' | 'video' | 'screen';
      readonly enabled: boolean;
    };

const MEDIA = [
  ['micOn', 'audio'],
  ['cameraOn', 'video'],
  ['screenOn', 'screen'],
] as const;

/** Compares two snapshots of the room. Pure, so the event rules are tested without a call. */
export function participantChanges(
  previous: readonly CallParticipant[],
  next: readonly CallParticipant[],
): ParticipantChange[] {
  const before = new Map(previous.map((p) => [p.id, p]));
  const after = new Map(next.map((p) => [p.id, p]));
  const changes: ParticipantChange[] = [];
  for (const p of next) {
    const old = before.get(p.id);
    if (!old) {
      if (!p.isLocal) changes.push({ type: 'participant-joined', participant: p });
      continue;
    }
    for (const [flag, kind] of MEDIA) {
      if (old[flag] !== p[flag]) changes.push({ type: 'media', participant: p, kind, enabled: p[flag] });
    }
  }
  for (const p of previous) {
    if (!after.has(p.id) && !p.isLocal) changes.push({ type: 'participant-left', participant: p });
  }
  return changes;
}
