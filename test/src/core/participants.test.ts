import { expect } from '@open-wc/testing';
import { buildParticipants, type ParticipantInputs } from '../../../src/core/participants.js';
import { publicationKey, type RoomState } from '../../../src/core/room-state.js';
import type { LocalMediaState } from '../../../src/core/types.js';
import type { Participant, ParticipantState, Publication, TrackSource } from '../../../src/protocol/index.js';
import { kindOfSource } from '../../../src/protocol/index.js';

const allOff: ParticipantState = { micOn: false, cameraOn: false, speaking: false, handRaised: false };

const person = (id: string, joinedAt: number, state: Partial<ParticipantState> = {}): Participant => ({
  id,
  name: `Name of ${id}`,
  joinedAt,
  canPublish: true,
  canModerate: false,
  state: { ...allOff, ...state },
});

const publication = (participantId: string, source: TrackSource, sessionId = 's1'): Publication => ({
  participantId,
  sessionId,
  trackName: `${participantId}-${source}`,
  kind: kindOfSource[source],
  source,
});

const room = (
  selfId: string | undefined,
  people: Participant[],
  publications: Publication[] = [],
): RoomState => ({
  selfId,
  participants: new Map(people.map((p) => [p.id, p])),
  publications: new Map(publications.map((p) => [publicationKey(p.participantId, p.source), p])),
});

const localOff: LocalMediaState = {
  micOn: false,
  cameraOn: false,
  screenOn: false,
  talkingWhileMuted: false,
  canPublish: true,
  devicesBlocked: false,
  canShareScreen: true,
};

describe('buildParticipants', () => {
  let tracks: MediaStreamTrack[] = [];
  /** A real video track from a canvas, stopped after the test. */
  const videoTrack = () => {
    const track = document.createElement('canvas').captureStream().getVideoTracks()[0];
    tracks.push(track);
    return track;
  };
  /** A real audio track, stopped after the test. */
  const audioTrack = () => {
    const context = new AudioContext();
    const track = context.createMediaStreamDestination().stream.getAudioTracks()[0];
    tracks.push(track);
    void context.close();
    return track;
  };
  afterEach(() => {
    tracks.forEach((t) => t.stop());
    tracks = [];
  });

  const build = (inputs: Partial<ParticipantInputs> & Pick<ParticipantInputs, 'room'>) =>
    buildParticipants({
      remoteTracks: new Map(),
      localTracks: {},
      local: localOff,
      speaking: new Set(),
      stage: [...inputs.room.participants.keys()],
      ...inputs,
    });

  it('lists the local participant first, then the others by join time', () => {
    const list = build({
      room: room('me', [person('late', 300), person('me', 200), person('early', 100), person('mid', 250)]),
    });
    expect(list.map((p) => p.id)).to.deep.equal(['me', 'early', 'mid', 'late']);
    expect(list.map((p) => p.isLocal)).to.deep.equal([true, false, false, false]);
    expect(list[0].name).to.equal('Name of me');
    expect(list[1].joinedAt).to.equal(100);
  });

  it('lists only others, by join time, before the hello names the local participant', () => {
    const list = build({ room: room(undefined, [person('b', 2), person('a', 1)]) });
    expect(list.map((p) => [p.id, p.isLocal])).to.deep.equal([
      ['a', false],
      ['b', false],
    ]);
    expect(build({ room: room('me', []) })).to.deep.equal([]);
  });

  it('counts a remote mic or camera as on only with both its state and a publication', () => {
    const list = build({
      room: room(
        'me',
        [
          person('me', 0),
          person('both', 1, { micOn: true, cameraOn: true }),
          person('state-only', 2, { micOn: true, cameraOn: true }),
          person('published-only', 3),
        ],
        [
          publication('both', 'microphone'),
          publication('both', 'camera'),
          publication('published-only', 'microphone'),
          publication('published-only', 'camera'),
        ],
      ),
    });
    const media = Object.fromEntries(list.map((p) => [p.id, [p.micOn, p.cameraOn]]));
    expect(media).to.deep.equal({
      me: [false, false],
      both: [true, true],
      'state-only': [false, false],
      'published-only': [false, false],
    });
  });

  it('takes the local media from the local state, not from presence', () => {
    const [me] = build({
      room: room('me', [person('me', 0, { micOn: false, cameraOn: false })]),
      local: { ...localOff, micOn: true, cameraOn: true, screenOn: true },
    });
    expect([me.micOn, me.cameraOn, me.screenOn]).to.deep.equal([true, true, true]);
    const [muted] = build({
      room: room(
        'me',
        [person('me', 0, { micOn: true, cameraOn: true })],
        [publication('me', 'microphone'), publication('me', 'camera'), publication('me', 'screen-video')],
      ),
    });
    expect([muted.micOn, muted.cameraOn, muted.screenOn]).to.deep.equal([false, false, false]);
  });

  it('counts a remote screen share as on while its screen video is published', () => {
    const list = build({
      room: room(
        'me',
        [person('me', 0), person('sharing', 1), person('audio-only', 2)],
        [publication('sharing', 'screen-video'), publication('audio-only', 'screen-audio')],
      ),
    });
    expect(list.map((p) => [p.id, p.screenOn])).to.deep.equal([
      ['me', false],
      ['sharing', true],
      ['audio-only', false],
    ]);
  });

  it('maps remote video tracks by source and the remote microphone to audio', () => {
    const camera = videoTrack();
    const screen = videoTrack();
    const mic = audioTrack();
    const otherCamera = videoTrack();
    const list = build({
      room: room('me', [person('me', 0), person('ada', 1), person('bob', 2)]),
      remoteTracks: new Map([
        ['ada/camera', camera],
        ['ada/screen-video', screen],
        ['ada/microphone', mic],
        ['bob/camera', otherCamera],
      ]),
    });
    const ada = list.find((p) => p.id === 'ada')!;
    const bob = list.find((p) => p.id === 'bob')!;
    expect(ada.video.camera).to.equal(camera);
    expect(ada.video.screen).to.equal(screen);
    expect(ada.audio).to.equal(mic);
    expect(bob.video).to.deep.equal({ camera: otherCamera });
    expect(bob.audio).to.equal(undefined);
    expect(Object.keys(list[0].video), 'remote tracks are never the local one’s').to.deep.equal([]);
  });

  it('maps the local previews to the local participant, without audio', () => {
    const camera = videoTrack();
    const screen = videoTrack();
    const remoteCamera = videoTrack();
    const remoteMic = audioTrack();
    const list = build({
      room: room('me', [person('me', 0), person('ada', 1)]),
      localTracks: { camera, screen },
      remoteTracks: new Map([
        ['me/camera', remoteCamera],
        ['me/microphone', remoteMic],
      ]),
    });
    expect(list[0].video).to.deep.equal({ camera, screen });
    expect(list[0].audio).to.equal(undefined);
    expect(list[1].video, 'local previews are not the others’').to.deep.equal({});
  });

  it('marks who speaks from what this page hears or what they announce, and raised hands', () => {
    const list = build({
      room: room('me', [
        person('me', 0, { speaking: true }),
        person('ada', 1, { handRaised: true, speaking: true }),
        person('bob', 2),
        person('cy', 3),
      ]),
      speaking: new Set(['bob', 'gone']),
    });
    expect(list.map((p) => [p.id, p.speaking, p.handRaised])).to.deep.equal([
      ['me', false, false],
      ['ada', true, true],
      ['bob', true, false],
      ['cy', false, false],
    ]);
  });

  it('puts on the stage the local participant and the remote ones the stage names', () => {
    const list = build({
      room: room('me', [person('me', 0), person('ada', 1), person('bob', 2)]),
      stage: ['bob'],
    });
    expect(list.map((p) => [p.id, p.onStage])).to.deep.equal([
      ['me', true],
      ['ada', false],
      ['bob', true],
    ]);
  });
});
