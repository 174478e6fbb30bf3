// Every SFU endpoint and track item shape the Realtime API accepts (shared/docs/calls-api.md §2), sent
// through the real proxy by a caller in room B. Each shape that names a track is tried with a track of the
// caller's own room and with one of room A: the own-room reference may be forwarded, the cross-room one never.
// Shapes the proxy does not forward are refused with 403 whatever they name. The list is written here, not
// taken from the proxy's own table, so a rule that goes missing there fails here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { claimsFor } from '../../support/presence-fixtures.js';
import { startProxyHarness, type Caller, type ProxyHarness } from '../../support/proxy-harness.js';

const SENDONLY = 'v=0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\n';
const RECVONLY = 'v=0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=recvonly\r\n';
const offer = (sdp: string) => ({ type: 'offer', sdp });

interface TrackRef {
  readonly sessionId: string;
  readonly trackName: string;
}

type Status = 200 | 400 | 403;

interface Shape {
  readonly name: string;
  readonly operation: 'tracks/new' | 'tracks/update' | 'tracks/close' | 'renegotiate' | '';
  /** The body, given the track it names (shapes without a reference ignore it). */
  readonly body: (ref: TrackRef) => unknown;
  /** With a track of the caller's room; for shapes without a reference, the only expectation. */
  readonly own: Status;
  /** With a track of another room; absent for shapes that name no track. */
  readonly foreign?: Status;
}

const methodOf = (operation: Shape['operation']) =>
  operation === 'tracks/new' ? 'POST' : operation === '' ? 'GET' : 'PUT';

const shapes: Shape[] = [
  // tracks/new: publishing
  {
    name: 'publish with an offer',
    operation: 'tracks/new',
    body: () => ({
      sessionDescription: offer(SENDONLY),
      tracks: [{ location: 'local', mid: '0', trackName: 'cam' }],
    }),
    own: 200,
  },
  {
    name: 'SFU-offered push (no offer, kind, bidirectionalMediaStream)',
    operation: 'tracks/new',
    body: () => ({
      tracks: [{ location: 'local', trackName: 'voice', kind: 'audio', bidirectionalMediaStream: true }],
    }),
    own: 200,
  },
  {
    name: 'autoDiscover with an offer and no tracks',
    operation: 'tracks/new',
    body: () => ({ autoDiscover: true, sessionDescription: offer(SENDONLY) }),
    own: 200,
  },
  {
    name: 'autoDiscover with local tracks',
    operation: 'tracks/new',
    body: () => ({
      autoDiscover: true,
      sessionDescription: offer(SENDONLY),
      tracks: [{ location: 'local', mid: '0', trackName: 'cam' }],
    }),
    own: 200,
  },
  {
    name: 'autoDiscover with remote tracks (attack 1)',
    operation: 'tracks/new',
    body: (ref) => ({
      autoDiscover: true,
      sessionDescription: offer(SENDONLY),
      tracks: [{ location: 'remote', ...ref }],
    }),
    own: 403,
    foreign: 403,
  },
  {
    name: 'autoDiscover with remote tracks and no offer',
    operation: 'tracks/new',
    body: (ref) => ({ autoDiscover: true, tracks: [{ location: 'remote', ...ref }] }),
    own: 403,
    foreign: 403,
  },
  {
    name: 'local track naming a sessionId',
    operation: 'tracks/new',
    body: (ref) => ({
      sessionDescription: offer(SENDONLY),
      tracks: [{ location: 'local', mid: '0', ...ref }],
    }),
    own: 403,
    foreign: 403,
  },
  {
    name: 'local track with simulcast options',
    operation: 'tracks/new',
    body: () => ({
      sessionDescription: offer(SENDONLY),
      tracks: [{ location: 'local', mid: '0', trackName: 'cam', simulcast: { preferredRid: 'f' } }],
    }),
    own: 403,
  },
  {
    name: 'local track without a trackName',
    operation: 'tracks/new',
    body: () => ({ sessionDescription: offer(SENDONLY), tracks: [{ location: 'local', mid: '0' }] }),
    own: 403,
  },
  // tracks/new: pulling
  {
    name: 'pull with an SFU offer',
    operation: 'tracks/new',
    body: (ref) => ({ tracks: [{ location: 'remote', ...ref }] }),
    own: 200,
    foreign: 403,
  },
  {
    name: 'pull with simulcast options and kind',
    operation: 'tracks/new',
    body: (ref) => ({
      tracks: [
        {
          location: 'remote',
          ...ref,
          kind: 'video',
          simulcast: { preferredRid: 'h', priorityOrdering: 'asciibetical', ridNotAvailable: 'asciibetical' },
        },
      ],
    }),
    own: 200,
    foreign: 403,
  },
  {
    name: 'WHEP-style pull into an offered mid',
    operation: 'tracks/new',
    body: (ref) => ({
      sessionDescription: offer(RECVONLY),
      tracks: [{ location: 'remote', mid: '0', ...ref }],
    }),
    own: 200,
    foreign: 403,
  },
  {
    name: 'pull into a bidirectional transceiver ("#trackName")',
    operation: 'tracks/new',
    body: (ref) => ({ tracks: [{ location: 'remote', mid: '#voice', ...ref }] }),
    own: 200,
    foreign: 403,
  },
  {
    // The announced one goes through; the other comes back as an item error (never to the SFU).
    name: 'a batch pulling one own-room and one unannounced track',
    operation: 'tracks/new',
    body: (ref) => ({
      tracks: [
        { location: 'remote', sessionId: ref.sessionId, trackName: ref.trackName },
        { location: 'remote', sessionId: ref.sessionId, trackName: 'never-announced' },
      ],
    }),
    own: 200,
    foreign: 403,
  },
  {
    name: 'pull with bidirectionalMediaStream',
    operation: 'tracks/new',
    body: (ref) => ({ tracks: [{ location: 'remote', ...ref, bidirectionalMediaStream: true }] }),
    own: 403,
    foreign: 403,
  },
  {
    name: 'pull without a trackName',
    operation: 'tracks/new',
    body: (ref) => ({ tracks: [{ location: 'remote', sessionId: ref.sessionId }] }),
    own: 403,
    foreign: 403,
  },
  {
    name: 'pull without a sessionId',
    operation: 'tracks/new',
    body: (ref) => ({ tracks: [{ location: 'remote', trackName: ref.trackName }] }),
    own: 403,
    foreign: 403,
  },
  {
    name: 'a batch mixing local and remote',
    operation: 'tracks/new',
    body: (ref) => ({
      sessionDescription: offer(SENDONLY),
      tracks: [
        { location: 'local', mid: '0', trackName: 'cam' },
        { location: 'remote', ...ref },
      ],
    }),
    own: 400,
    foreign: 400,
  },
  // tracks/update
  {
    name: 'change the simulcast layer of a pull',
    operation: 'tracks/update',
    body: (ref) => ({ tracks: [{ location: 'remote', mid: '1', ...ref, simulcast: { preferredRid: 'q' } }] }),
    own: 200,
    foreign: 403,
  },
  {
    name: 'switch a pulled mid to another track',
    operation: 'tracks/update',
    body: (ref) => ({ tracks: [{ location: 'remote', mid: '1', ...ref }] }),
    own: 200,
    foreign: 403,
  },
  {
    name: 'update with location "local" naming a track (attack 2)',
    operation: 'tracks/update',
    body: (ref) => ({ tracks: [{ location: 'local', mid: '1', ...ref }] }),
    own: 403,
    foreign: 403,
  },
  {
    name: 'update with location "local" and only a trackName',
    operation: 'tracks/update',
    body: (ref) => ({ tracks: [{ location: 'local', mid: '1', trackName: ref.trackName }] }),
    own: 403,
    foreign: 403,
  },
  {
    name: 'update of a mid that names no track',
    operation: 'tracks/update',
    body: () => ({ tracks: [{ location: 'remote', mid: '1', simulcast: { preferredRid: 'q' } }] }),
    own: 403,
  },
  {
    name: 'update without a mid',
    operation: 'tracks/update',
    body: (ref) => ({ tracks: [{ location: 'remote', ...ref }] }),
    own: 403,
    foreign: 403,
  },
  // the rest of a session's endpoints
  {
    name: 'forced close (extra fields are dropped, not forwarded)',
    operation: 'tracks/close',
    body: (ref) => ({ tracks: [{ mid: '1', ...ref }], force: true }),
    own: 200,
    foreign: 200,
  },
  {
    name: 'renegotiate with a receive-only answer',
    operation: 'renegotiate',
    body: () => ({ sessionDescription: { type: 'answer', sdp: RECVONLY } }),
    own: 200,
  },
  { name: 'session state', operation: '', body: () => undefined, own: 200 },
];

describe('partytracks proxy: every endpoint and item shape', () => {
  let h: ProxyHarness;
  let mallory: Caller; // publisher in room B, the caller of every case
  let mallorySession: string;
  let ownRoomTrack: TrackRef; // nina's, in room B
  let otherRoomTrack: TrackRef; // alice's, in room A

  before(async () => {
    h = await startProxyHarness();
    const alice = await h.caller({ userId: 'alice' });
    const nina = await h.caller({ userId: 'nina', room: 'B' });
    mallory = await h.caller({ userId: 'mallory', room: 'B' });
    otherRoomTrack = { sessionId: await alice.newSession(), trackName: 'alice-cam' };
    ownRoomTrack = { sessionId: await nina.newSession(), trackName: 'nina-cam' };
    mallorySession = await mallory.newSession();
    announce('A', 'alice', otherRoomTrack);
    announce('B', 'nina', ownRoomTrack);
  });

  after(() => h.close());

  function announce(room: string, userId: string, track: TrackRef): void {
    const presence = h.presence.room(room);
    presence.join(`conn-${userId}`, claimsFor(userId, { room }));
    presence.receive(`conn-${userId}`, {
      v,
      type: 'publish',
      track: { ...track, kind: 'video', source: 'camera' },
    });
  }

  async function send(shape: Shape, ref: TrackRef): Promise<{ status: number; forwarded: boolean }> {
    const before = h.upstream.requests.length;
    const path = `sessions/${mallorySession}${shape.operation ? `/${shape.operation}` : ''}`;
    const { status, json } = await mallory.call(path, {
      method: methodOf(shape.operation),
      body: shape.body(ref),
    });
    if (status !== 200) {
      assert.equal(typeof json.errorCode, 'string');
      assert.ok(
        String(json.errorDescription).length > 10,
        `a clear errorDescription: ${json.errorDescription}`,
      );
    }
    return { status, forwarded: h.upstream.requests.length > before };
  }

  for (const shape of shapes) {
    it(`${shape.operation || 'GET session'}: ${shape.name}`, async () => {
      const own = await send(shape, ownRoomTrack);
      assert.equal(own.status, shape.own, 'with a track of the caller’s room');
      assert.equal(own.forwarded, shape.own === 200, 'forwarded exactly when allowed');
      if (own.forwarded) {
        const forwardedBody = h.upstream.requests.at(-1)?.body ?? '';
        assert.ok(!forwardedBody.includes('never-announced'), 'no unannounced track reaches the SFU');
      }
      if (shape.foreign === undefined) return;
      const foreign = await send(shape, otherRoomTrack);
      assert.equal(foreign.status, shape.foreign, 'with a track of another room');
      assert.equal(foreign.forwarded, shape.foreign === 200, 'forwarded exactly when allowed');
      if (shape.operation === 'tracks/close' && foreign.forwarded) {
        const forwardedBody = h.upstream.requests.at(-1)?.body ?? '';
        assert.ok(
          !forwardedBody.includes(otherRoomTrack.sessionId),
          'the close reached the SFU without the reference',
        );
      }
    });
  }

  it('datachannels: chat is published by right and pulled only from the caller’s room', async () => {
    const chatOf = (ref: TrackRef) => ({ sessionId: ref.sessionId, dataChannelName: 'chat-x' });
    const presence = h.presence.room('B');
    presence.receive('conn-nina', {
      v,
      type: 'publish',
      track: { sessionId: ownRoomTrack.sessionId, trackName: 'chat-x', kind: 'data', source: 'chat' },
    });
    h.presence.room('A').receive('conn-alice', {
      v,
      type: 'publish',
      track: { sessionId: otherRoomTrack.sessionId, trackName: 'chat-x', kind: 'data', source: 'chat' },
    });
    const cases: [string, string, unknown, number][] = [
      ['datachannels/establish', 'POST', undefined, 200],
      [
        'datachannels/establish',
        'POST',
        { dataChannel: { location: 'remote', dataChannelName: 'server-events' } },
        200,
      ],
      ['datachannels/new', 'POST', { dataChannels: [{ location: 'local', dataChannelName: 'chat-m' }] }, 200],
      ['datachannels/new', 'POST', { dataChannels: [{ location: 'remote', ...chatOf(ownRoomTrack) }] }, 200],
      [
        'datachannels/new',
        'POST',
        { dataChannels: [{ location: 'remote', ...chatOf(otherRoomTrack) }] },
        403,
      ],
      [
        'datachannels/new',
        'POST',
        {
          dataChannels: [
            { location: 'remote', sessionId: ownRoomTrack.sessionId, dataChannelName: 'unannounced' },
          ],
        },
        403,
      ],
      [
        'datachannels/new',
        'POST',
        {
          dataChannels: [
            { location: 'local', dataChannelName: 'a' },
            { location: 'remote', ...chatOf(ownRoomTrack) },
          ],
        },
        400,
      ],
      ['datachannels/update', 'PUT', { dataChannels: [{ id: 1, canReply: true }] }, 200],
      ['datachannels/close', 'PUT', { dataChannels: [{ id: 1 }] }, 200],
    ];
    for (const [operation, method, body, expected] of cases) {
      const before = h.upstream.requests.length;
      const { status } = await mallory.call(`sessions/${mallorySession}/${operation}`, { method, body });
      assert.equal(status, expected, `${operation} ${JSON.stringify(body)}`);
      assert.equal(h.upstream.requests.length > before, expected === 200, 'forwarded exactly when allowed');
    }
  });

  it('datachannels: a viewer publishes chat only with canChat', async () => {
    const viewer = await h.caller({ userId: 'vera', room: 'B', canPublish: false });
    const chatter = await h.caller({ userId: 'chad', room: 'B', canPublish: false, canChat: true });
    const body = { dataChannels: [{ location: 'local', dataChannelName: 'chat-v' }] };
    const denied = await viewer.call(`sessions/${await viewer.newSession()}/datachannels/new`, {
      method: 'POST',
      body,
    });
    assert.equal(denied.status, 403);
    assert.equal(denied.json.errorCode, 'forbidden');
    assert.match(String(denied.json.errorDescription), /chat/);
    const allowed = await chatter.call(`sessions/${await chatter.newSession()}/datachannels/new`, {
      method: 'POST',
      body,
    });
    assert.equal(allowed.status, 200);
  });

  it('a viewer may pull in its room but publishes in no shape; a token without subscribe pulls nothing', async () => {
    const viewer = await h.caller({ userId: 'vic', room: 'B', canPublish: false });
    const viewerSession = await viewer.newSession();
    const deaf = await h.caller({ userId: 'dee', room: 'B', canSubscribe: false });
    const deafSession = await deaf.newSession();
    const attempt = (caller: Caller, session: string, shape: Shape) =>
      caller.call(`sessions/${session}/${shape.operation}`, {
        method: methodOf(shape.operation),
        body: shape.body(ownRoomTrack),
      });
    for (const shape of shapes.filter((s) => s.own === 200 && s.operation.startsWith('tracks/'))) {
      const publishes =
        JSON.stringify(shape.body(ownRoomTrack)).includes('"local"') || shape.name.includes('autoDiscover');
      const asViewer = await attempt(viewer, viewerSession, shape);
      assert.equal(asViewer.status, publishes ? 403 : 200, `viewer: ${shape.name}`);
      const pulls = JSON.stringify(shape.body(ownRoomTrack)).includes('"remote"');
      const asDeaf = await attempt(deaf, deafSession, shape);
      assert.equal(asDeaf.status, pulls ? 403 : 200, `no subscribe right: ${shape.name}`);
    }
  });
});
