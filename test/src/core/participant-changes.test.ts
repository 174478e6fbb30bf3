import { expect } from '@open-wc/testing';
import { participantChanges } from '../../../src/core/participant-changes.js';
import type { CallParticipant } from '../../../src/core/types.js';

const p = (id: string, patch: Partial<CallParticipant> = {}): CallParticipant => ({
  id,
  name: id,
  isLocal: id === 'me',
  micOn: true,
  cameraOn: true,
  screenOn: false,
  speaking: false,
  onStage: true,
  handRaised: false,
  joinedAt: 0,
  video: {},
  ...patch,
});

describe('participantChanges', () => {
  it('reports joins and leaves of others, never of the local participant', () => {
    const changes = participantChanges([p('me'), p('ann')], [p('me'), p('bob')]);
    expect(changes.map((c) => `${c.type}:${c.participant.id}`)).to.deep.equal([
      'participant-joined:bob',
      'participant-left:ann',
    ]);
    expect(participantChanges([], [p('me')])).to.deep.equal([]);
  });

  it('reports each media flag that flipped, with its kind', () => {
    const changes = participantChanges([p('ann')], [p('ann', { micOn: false, screenOn: true })]);
    expect(changes.map((c) => (c.type === 'media' ? `${c.kind}:${c.enabled}` : c.type))).to.deep.equal([
      'audio:false',
      'screen:true',
    ]);
  });

  it('reports nothing when only speaking or tracks changed', () => {
    expect(participantChanges([p('ann')], [p('ann', { speaking: true })])).to.deep.equal([]);
  });
});
