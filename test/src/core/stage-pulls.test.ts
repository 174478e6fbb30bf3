import { expect } from '@open-wc/testing';
import { BehaviorSubject, type Subscription } from 'rxjs';
import type { Participant, Publication, TrackSource } from '../../../src/protocol/index.js';
import { publicationKey, type RoomState } from '../../../src/core/room-state.js';
import {
  AUDIO_PULL_CAP,
  stagePlan$,
  type StageInputs,
  type StagePlan,
} from '../../../src/core/stage-pulls.js';

const person = (id: string, joinedAt: number, speaking = false, canPublish = true): Participant => ({
  id,
  name: id,
  joinedAt,
  canPublish,
  canModerate: false,
  state: { micOn: true, cameraOn: true, speaking, handRaised: false },
});
const pub = (participantId: string, source: TrackSource): Publication => ({
  participantId,
  sessionId: `s-${participantId}`,
  trackName: `${participantId}-${source}`,
  kind: source === 'camera' || source === 'screen-video' ? 'video' : 'audio',
  source,
});
const roomOf = (people: Participant[], publications: Publication[]): RoomState => ({
  selfId: 'me',
  participants: new Map(people.map((p) => [p.id, p])),
  publications: new Map(publications.map((p) => [publicationKey(p.participantId, p.source), p])),
});

/** `n` remote publishers with camera and mic, plus me. */
function bigRoom(n: number, speaking: string[] = []): RoomState {
  const people = [
    person('me', 0),
    ...Array.from({ length: n }, (_, i) => person(`p${i}`, i + 1, speaking.includes(`p${i}`))),
  ];
  const pubs = people.flatMap((p) => [pub(p.id, 'camera'), pub(p.id, 'microphone')]);
  return roomOf(people, pubs);
}

describe('stagePlan$', () => {
  let inputs$: BehaviorSubject<StageInputs>;
  let plans: StagePlan[];
  let subscription: Subscription;
  const latest = () => plans.at(-1)!;
  const wanted = (plan: StagePlan) =>
    [...plan.room.publications.values()]
      .filter((p) => p.participantId !== 'me' && plan.wants(p))
      .map((p) => `${p.participantId}/${p.source}`);

  const start = (room: RoomState, maxVideo: number) => {
    inputs$ = new BehaviorSubject<StageInputs>({ room, heard: new Set(), pinned: new Set(), maxVideo });
    plans = [];
    subscription = stagePlan$(inputs$).subscribe((plan) => plans.push(plan));
  };
  afterEach(() => subscription.unsubscribe());

  it('pulls cameras of stage members only, and every microphone under the cap', () => {
    start(bigRoom(5), 2);
    expect(latest().stage).to.deep.equal(['p0', 'p1']);
    expect(wanted(latest()).sort()).to.deep.equal(
      [
        'p0/camera',
        'p1/camera',
        'p0/microphone',
        'p1/microphone',
        'p2/microphone',
        'p3/microphone',
        'p4/microphone',
      ].sort(),
    );
  });

  it('puts a spotlighted participant (pinned for everyone) first on the stage and pulls their camera', () => {
    start(bigRoom(5), 2);
    inputs$.next({ ...inputs$.value, pinned: new Set(['p4']), first: 'p4' });
    expect(latest().stage[0], 'first').to.equal('p4');
    expect(latest().stage.length).to.equal(2);
    expect(wanted(latest())).to.include('p4/camera');
  });

  it('counts a shared screen as a video place and always pulls it', () => {
    const room = bigRoom(4);
    const withScreen = roomOf(
      [...room.participants.values()],
      [...room.publications.values(), pub('p3', 'screen-video')],
    );
    start(withScreen, 3);
    expect(latest().stage).to.deep.equal(['p0', 'p1']);
    expect(wanted(latest())).to.include('p3/screen-video');
  });

  it('brings an announced speaker onto the stage within a second, by itself', async () => {
    start(bigRoom(5), 2);
    inputs$.next({ ...inputs$.value, room: bigRoom(5, ['p4']) });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(latest().stage).to.include('p4');
    expect(wanted(latest())).to.include('p4/camera');
  });

  it('leaves out participants who cannot publish (viewers)', () => {
    const people = [person('me', 0), person('v1', 1, false, false), person('p0', 2)];
    start(roomOf(people, [pub('p0', 'camera')]), 9);
    expect(latest().stage).to.deep.equal(['p0']);
  });

  it('pulls at most the cap of microphones in a big room, recent speakers first', () => {
    start(bigRoom(AUDIO_PULL_CAP + 5), 4);
    const mics = wanted(latest()).filter((key) => key.endsWith('/microphone'));
    expect(mics).to.have.length(AUDIO_PULL_CAP);
    expect(mics).to.not.include(`p${AUDIO_PULL_CAP + 4}/microphone`);
  });
});
