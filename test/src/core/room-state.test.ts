import { expect } from '@open-wc/testing';
import { emptyRoom, reduceRoom, watchingCount } from '../../../src/core/room-state.js';
import type { Participant, Publication, ServerMessage } from '../../../src/protocol/index.js';

const state = { micOn: true, cameraOn: true, speaking: false, handRaised: false };
const person = (id: string): Participant => ({
  id,
  name: id.toUpperCase(),
  joinedAt: 1,
  canPublish: true,
  canModerate: false,
  state,
});
const pub = (
  participantId: string,
  source: Publication['source'],
  trackName = `${participantId}-${source}`,
): Publication => ({
  participantId,
  sessionId: `s-${participantId}`,
  trackName,
  kind: source === 'microphone' || source === 'screen-audio' ? 'audio' : 'video',
  source,
});
const hello: ServerMessage = {
  v: 1,
  type: 'hello',
  self: person('me'),
  participants: [person('me'), person('ann')],
  publications: [pub('ann', 'camera')],
  heartbeatIntervalMs: 20000,
  heartbeatTimeoutMs: 90000,
};

describe('reduceRoom', () => {
  it('takes the whole picture from hello, replacing anything stale', () => {
    const stale = reduceRoom(emptyRoom, { v: 1, type: 'participant-joined', participant: person('ghost') });
    const room = reduceRoom(stale, hello);
    expect(room.selfId).to.equal('me');
    expect([...room.participants.keys()]).to.deep.equal(['me', 'ann']);
    expect([...room.publications.keys()]).to.deep.equal(['ann/camera']);
  });

  it('drops a leaver together with their publications', () => {
    let room = reduceRoom(reduceRoom(emptyRoom, hello), {
      v: 1,
      type: 'track-published',
      publication: pub('ann', 'microphone'),
    });
    room = reduceRoom(room, { v: 1, type: 'participant-left', participantId: 'ann', reason: 'left' });
    expect([...room.participants.keys()]).to.deep.equal(['me']);
    expect(room.publications.size).to.equal(0);
  });

  it('replaces a publication that moved to a new session, and ignores a stale unpublish', () => {
    let room = reduceRoom(emptyRoom, hello);
    room = reduceRoom(room, {
      v: 1,
      type: 'track-published',
      publication: pub('ann', 'camera', 'new-track'),
    });
    expect(room.publications.get('ann/camera')?.trackName).to.equal('new-track');
    const same = reduceRoom(room, {
      v: 1,
      type: 'track-unpublished',
      participantId: 'ann',
      source: 'camera',
      trackName: 'ann-camera',
    });
    expect(same, 'an unpublish of the old track changes nothing').to.equal(room);
    room = reduceRoom(room, {
      v: 1,
      type: 'track-unpublished',
      participantId: 'ann',
      source: 'camera',
      trackName: 'new-track',
    });
    expect(room.publications.size).to.equal(0);
  });

  it('applies participant state and ignores unknown participants', () => {
    let room = reduceRoom(emptyRoom, hello);
    room = reduceRoom(room, {
      v: 1,
      type: 'participant-state',
      participantId: 'ann',
      state: { ...state, micOn: false },
    });
    expect(room.participants.get('ann')?.state.micOn).to.equal(false);
    const unchanged = reduceRoom(room, { v: 1, type: 'participant-state', participantId: 'nobody', state });
    expect(unchanged).to.equal(room);
  });

  it('counts the audience: a viewer knows itself though the server only counts it', () => {
    const viewer = { ...person('me'), canPublish: false };
    let room = reduceRoom(emptyRoom, {
      v: 1,
      type: 'hello',
      self: viewer,
      participants: [person('ann')],
      publications: [],
      audience: 40,
      heartbeatIntervalMs: 25_000,
      heartbeatTimeoutMs: 90_000,
    });
    expect(room.participants.has('me')).to.equal(true);
    expect(room.selfInAudience).to.equal(true);
    expect(watchingCount(room)).to.equal(40);
    room = reduceRoom(room, { v: 1, type: 'audience', count: 41 });
    expect(watchingCount(room)).to.equal(41);
    // A listed member without canPublish (a chatting viewer) watches too.
    room = reduceRoom(room, {
      v: 1,
      type: 'participant-joined',
      participant: { ...person('cat'), canPublish: false },
    });
    expect(watchingCount(room)).to.equal(42);
  });
});
