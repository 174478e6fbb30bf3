import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionsOfRemoved } from '../../../server/core/removed-sessions.js';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import { closeSessionTracks, type SfuCall } from '../../../server/core/track-eviction.js';
import { ManualClock } from '../../support/presence-fixtures.js';

describe('closeSessionTracks', () => {
  it('force-closes every open track of each session, once per session', async () => {
    const calls: { method: string; path: string; body?: unknown }[] = [];
    const sfu: SfuCall = async (method, path, body) => {
      calls.push({ method, path, body });
      if (method === 'GET' && path === '/sessions/s1') {
        return {
          status: 200,
          json: {
            tracks: [
              { location: 'local', mid: '0', trackName: 'cam', status: 'active' },
              { location: 'local', mid: '1', trackName: 'mic', status: 'active' },
              { location: 'remote', mid: '2', trackName: 'x', sessionId: 's9', status: 'active' },
              { location: 'local', mid: '3', trackName: 'old', status: 'inactive' },
            ],
          },
        };
      }
      if (method === 'GET') return { status: 404, json: { errorCode: 'not_found' } };
      return { status: 200, json: { tracks: [] } };
    };
    const closed = await closeSessionTracks(sfu, ['s1', 's1', 'gone']);
    assert.equal(closed, 3);
    assert.deepEqual(
      calls.filter((c) => c.method === 'PUT'),
      [
        {
          method: 'PUT',
          path: '/sessions/s1/tracks/close',
          body: { tracks: [{ mid: '0' }, { mid: '1' }, { mid: '2' }], force: true },
        },
      ],
    );
    assert.equal(calls.filter((c) => c.path === '/sessions/s1').length, 1, 'a duplicate id is asked once');
  });

  it('never rejects when the SFU is unreachable', async () => {
    const sfu: SfuCall = () => Promise.reject(new Error('down'));
    assert.equal(await closeSessionTracks(sfu, ['s1']), 0);
  });

  it('takes the sessions from the publications and the newest session of the user', () => {
    const clock = new ManualClock();
    const sessions = new SessionRegistry({ now: clock.now });
    sessions.record('old', { userId: 'bob', room: 'A' });
    sessions.record('new', { userId: 'bob', room: 'A' });
    const publication = {
      participantId: 'bob',
      sessionId: 'old',
      trackName: 't',
      kind: 'video',
      source: 'camera',
    } as const;
    assert.deepEqual(sessionsOfRemoved({ room: 'A', userId: 'bob', publications: [publication] }, sessions), [
      'old',
      'new',
    ]);
  });
});
