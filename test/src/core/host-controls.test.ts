import { expect } from '@open-wc/testing';
import { emptyModeration, reduceModeration, withModeration } from '../../../src/core/host-controls.js';
import type { CallParticipant } from '../../../src/core/types.js';
import type { ServerMessage } from '../../../src/protocol/index.js';

const hello = (extra: object = {}): ServerMessage =>
  ({
    v: 1,
    type: 'hello',
    self: { id: 'a', name: 'A', joinedAt: 0, canPublish: true, canModerate: false, state: {} },
    participants: [],
    publications: [],
    heartbeatIntervalMs: 1,
    heartbeatTimeoutMs: 1,
    ...extra,
  }) as unknown as ServerMessage;

describe('host controls state', () => {
  it('starts from hello, follows hands and spotlight, and forgets a leaver', () => {
    let state = reduceModeration(
      emptyModeration,
      hello({ hands: [{ participantId: 'b', raisedAt: 1 }], spotlight: 'c' }),
    );
    expect(state).to.deep.equal({ hands: [{ participantId: 'b', raisedAt: 1 }], spotlight: 'c' });
    state = reduceModeration(state, {
      v: 1,
      type: 'hands',
      hands: [
        { participantId: 'b', raisedAt: 1 },
        { participantId: 'c', raisedAt: 2 },
      ],
    });
    expect(state.hands.map((h) => h.participantId)).to.deep.equal(['b', 'c']);
    state = reduceModeration(state, {
      v: 1,
      type: 'participant-left',
      participantId: 'c',
      reason: 'removed',
    });
    expect(state).to.deep.equal({ hands: [{ participantId: 'b', raisedAt: 1 }] });
    state = reduceModeration(state, { v: 1, type: 'spotlight', participantId: 'b' });
    expect(state.spotlight).to.equal('b');
    const same = reduceModeration(state, { v: 1, type: 'spotlight', participantId: 'b' });
    expect(same, 'unchanged state is the same object').to.equal(state);
    expect(reduceModeration(state, { v: 1, type: 'spotlight', participantId: null }).spotlight).to.be
      .undefined;
    expect(reduceModeration(state, hello()), 'a new hello replaces everything').to.deep.equal({ hands: [] });
  });

  it('marks raised hands with their time and the spotlighted participant', () => {
    const person = (id: string) => ({ id, handRaised: false }) as CallParticipant;
    const list = withModeration([person('a'), person('b')], {
      hands: [{ participantId: 'b', raisedAt: 5 }],
      spotlight: 'a',
    });
    expect(list[0]).to.include({ spotlighted: true, handRaised: false });
    expect(list[1]).to.include({ handRaised: true, handRaisedAt: 5 });
  });
});
