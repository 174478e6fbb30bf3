// The chat channel is announced like a publication: by anyone who may publish, or a viewer with canChat.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { RoomPresence } from '../../../server/core/room-presence.js';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import type { TrackInfo } from '../../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { ManualClock, claimsFor, findSent } from '../../support/presence-fixtures.js';

const chat = (sessionId: string): TrackInfo => ({
  sessionId,
  trackName: 'chat-1',
  kind: 'data',
  source: 'chat',
});

describe('RoomPresence: chat channels', () => {
  let room: RoomPresence;

  beforeEach(() => {
    const clock = new ManualClock();
    const sessions = new SessionRegistry({ now: clock.now });
    room = new RoomPresence('A', { now: clock.now, sessions });
    for (const user of ['alice', 'vic', 'carl']) sessions.record(`s-${user}`, { userId: user, room: 'A' });
    room.join('c-alice', claimsFor('alice'));
  });

  it('a publisher announces its chat channel to everyone, and it counts as published', () => {
    const effects = room.receive('c-alice', { v, type: 'publish', track: chat('s-alice') });
    const announced = findSent(effects, 'c-alice', 'track-published');
    assert.equal(announced?.publication.source, 'chat');
    assert.equal(announced?.publication.kind, 'data');
    assert.equal(room.isPublished('s-alice', 'chat-1'), true);
  });

  it('a viewer without canChat may not announce one; with canChat it may, but still no camera', () => {
    room.join('c-vic', claimsFor('vic', { canPublish: false }));
    const refused = room.receive('c-vic', { v, type: 'publish', track: chat('s-vic') });
    assert.equal(findSent(refused, 'c-vic', 'error')?.code, 'forbidden');
    room.join('c-carl', claimsFor('carl', { canPublish: false, canChat: true }));
    room.receive('c-carl', { v, type: 'publish', track: chat('s-carl') });
    assert.equal(room.isPublished('s-carl', 'chat-1'), true);
    const camera = room.receive('c-carl', {
      v,
      type: 'publish',
      track: { sessionId: 's-carl', trackName: 'cam', kind: 'video', source: 'camera' },
    });
    assert.equal(findSent(camera, 'c-carl', 'error')?.code, 'forbidden');
  });
});
