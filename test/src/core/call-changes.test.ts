import { expect } from '@open-wc/testing';
import { Subject, type Subscription } from 'rxjs';
import { callChanges$, type CallChange } from '../../../src/core/call-changes.js';
import type { CallHostRequest } from '../../../src/core/host-controls.js';
import { FakeCallSession } from '../../../src/testing/fake-call-session.js';

const describeChange = (c: CallChange): string => {
  switch (c.type) {
    case 'state':
      return `state:${c.previous}->${c.state}`;
    case 'self-joined':
      return `self-joined:${c.participant.id}`;
    case 'self-left':
      return `self-left:${c.reason}`;
    case 'media':
      return `media:${c.participant.id}:${c.kind}:${c.enabled}:${c.reason}`;
    case 'active-speaker':
      return `speaker:${c.previous?.id ?? '-'}->${c.participant?.id ?? '-'}`;
    default:
      return `${c.type}:${c.participant.id}`;
  }
};

describe('callChanges$', () => {
  let subscription: Subscription | undefined;
  afterEach(() => subscription?.unsubscribe());

  function watch(session: FakeCallSession): string[] {
    const seen: string[] = [];
    subscription = callChanges$(session).subscribe((c) => seen.push(describeChange(c)));
    return seen;
  }

  it('reports nothing that was already true on subscription but who speaks', () => {
    const session = new FakeCallSession({ participants: 3, withVideo: false, speaking: [2] });
    expect(watch(session)).to.deep.equal(['speaker:-->p2']);
    expect(watch(new FakeCallSession({ participants: 3, withVideo: false }))).to.deep.equal([]);
  });

  it('reports a join once the roster holds the local participant, and the leave', () => {
    const session = new FakeCallSession({ participants: 0, state: 'joining', withVideo: false });
    const seen = watch(session);
    session.setState('joined');
    expect(seen, 'no self-joined without self in the roster').to.deep.equal(['state:joining->joined']);
    session.setParticipants([session.makeParticipant({ id: 'me', name: 'Me', isLocal: true })]);
    expect(seen.at(-1)).to.equal('self-joined:me');
    session.setState('left');
    expect(seen.slice(-2)).to.deep.equal(['state:joined->left', 'self-left:user']);
  });

  it('reports an error end as a leave with reason error, but not from idle', () => {
    const session = new FakeCallSession({ participants: 1, state: 'idle', withVideo: false });
    const seen = watch(session);
    session.setState('error');
    expect(seen).to.deep.equal(['state:idle->error']);
    session.setState('joining');
    session.setState('error');
    expect(seen.at(-1)).to.equal('self-left:error');
  });

  it('reports others joining, leaving and switching media, not the arrival roster', () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false });
    const seen = watch(session);
    session.setParticipants([
      ...[0, 1].map((i) => session.makeParticipant({ id: i ? 'p1' : 'local', name: 'x', isLocal: !i })),
      session.makeParticipant({ id: 'p2', name: 'New' }),
    ]);
    session.updateParticipant('p1', { micOn: false });
    session.setParticipants([]);
    session.setParticipants([session.makeParticipant({ id: 'p3', name: 'Back' })]);
    expect(seen).to.deep.equal(
      ['participant-joined:p2', 'media:p1:audio:false:remote', 'participant-left:p1', 'participant-left:p2'],
      'a roster after an empty one is an arrival',
    );
  });

  it('gives each media change its reason: the user’s own, another’s, or a host’s on the local user', () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false, muted: [1] });
    const obeying = new Subject<CallHostRequest>();
    const seen: string[] = [];
    subscription = callChanges$(session, { obeying$: obeying }).subscribe((c) => {
      if (c.type === 'media') seen.push(`${c.participant.id}:${c.kind}:${c.enabled}:${c.reason}`);
    });
    /** As CallSession obeys a host: told first, then done. */
    const host = (request: CallHostRequest['request'], obey: () => void) => {
      obeying.next({ request, by: 'p1' });
      obey();
    };
    session.updateParticipant('p1', { micOn: true });
    host('mute-mic', () => session.setMicEnabled(false));
    host('ask-unmute', () => undefined);
    session.setMicEnabled(true);
    host('stop-camera', () => session.setCameraEnabled(false));
    host('stop-camera', () => session.setCameraEnabled(false));
    session.setCameraEnabled(true);
    session.setCameraEnabled(false);
    expect(seen).to.deep.equal([
      'p1:audio:true:remote',
      'local:audio:false:remote',
      'local:audio:true:user',
      'local:video:false:remote',
      'local:video:true:user',
      'local:video:false:user',
    ]);
  });

  it('reports the active speaker with the previous one', () => {
    const session = new FakeCallSession({ participants: 3, withVideo: false });
    const seen = watch(session);
    session.updateParticipant('p1', { speaking: true });
    session.updateParticipant('p1', { speaking: false });
    session.updateParticipant('p2', { speaking: true });
    expect(seen).to.deep.equal(['speaker:-->p1', 'speaker:p1->-', 'speaker:-->p2']);
  });
});
