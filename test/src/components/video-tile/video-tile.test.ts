import { ContextProvider } from '@lit/context';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { firstValueFrom } from 'rxjs';
import '../../../../src/define/video-tile.js';
import { VideoTile } from '../../../../src/components/video-tile/video-tile.js';
import { styles } from '../../../../src/components/video-tile/video-tile.styles.js';
import { callSessionContext } from '../../../../src/context/call-session-context.js';
import type { CallParticipant } from '../../../../src/core/types.js';
import { FakeCallSession, type FakeSessionOptions } from '../../../../src/testing/fake-call-session.js';
import { expectTokenContract } from '../../../support/token-contract.js';

const part = (el: VideoTile, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const video = (el: VideoTile) => part(el, 'video') as HTMLVideoElement;
const label = (el: VideoTile) => part(el, 'base')!.getAttribute('aria-label');

const sessions: FakeCallSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

async function setup(options: FakeSessionOptions = {}, index = 0, attrs = '') {
  const session = new FakeCallSession({ participants: 3, withVideo: false, ...options });
  sessions.push(session);
  const participant = (await firstValueFrom(session.participants$))[index];
  const el = await fixture<VideoTile>(
    html`<video-tile .session=${session} .participant=${participant}></video-tile>`,
  );
  for (const [name, value] of attrs ? attrs.split(' ').map((a) => a.split('=')) : [])
    el.setAttribute(name, value ?? '');
  await el.updateComplete;
  return { el, session, participant };
}

describe('<video-tile>', () => {
  it('tells the session how it shows a remote video, and when it no longer does (simulcast per tile)', async () => {
    const { el, session } = await setup({}, 1);
    el.style.cssText = 'display: block; width: 320px';
    await waitUntil(() => session.calls.includes('setVideoView(p1, camera, visible)'), 'reported as visible');
    el.style.transform = 'translateY(-10000px)';
    await waitUntil(() => session.calls.includes('setVideoView(p1, camera, hidden)'), 'reported as hidden');
    el.remove();
    expect(session.calls.at(-1)).to.equal('setVideoView(p1, camera, gone)');
  });

  it('reports nothing for the local participant’s own video', async () => {
    const { el, session } = await setup({}, 0);
    el.style.cssText = 'display: block; width: 320px';
    await new Promise((r) => setTimeout(r, 100));
    expect(session.calls.filter((c) => c.startsWith('setVideoView'))).to.deep.equal([]);
  });

  it('is accessible and named after the participant', async () => {
    const { el } = await setup({}, 1);
    expect(label(el), 'accessible name').to.equal('Grace Hopper');
    expect(part(el, 'name')!.textContent!.trim(), 'visible name').to.equal('Grace Hopper');
    await expect(el).to.be.accessible();
  });

  it('is accessible speaking, muted, camera off, local, on screen and with poor quality', async () => {
    const { el, session } = await setup({ speaking: [1], muted: [2] }, 1);
    expect(el.matches(':state(speaking)'), 'speaking').to.be.true;
    await expect(el, 'speaking').to.be.accessible();
    session.setStats({ packetLossPercent: 12 });
    const muted = (await firstValueFrom(session.participants$))[2];
    el.participant = muted;
    await el.updateComplete;
    expect(el.matches(':state(muted)'), 'muted').to.be.true;
    expect(el.matches(':state(no-video)'), 'no video without a track').to.be.true;
    expect(el.matches(':state(poor-network)'), 'poor network').to.be.true;
    await expect(el, 'muted, camera off, poor').to.be.accessible();
    el.participant = (await firstValueFrom(session.participants$))[0];
    el.source = 'screen';
    await el.updateComplete;
    expect(label(el), 'screen label').to.equal('Ada Lovelace (screen)');
    await expect(el, 'local screen').to.be.accessible();
  });

  it('has documented defaults', async () => {
    const el = await fixture<VideoTile>(html`<video-tile></video-tile>`);
    expect(el.source, 'source').to.equal('camera');
    expect(el.fit, 'fit').to.be.undefined;
    expect(el.mirrored, 'mirrored').to.be.false;
    expect(el.withoutQuality, 'withoutQuality').to.be.false;
    expect(el.participantId, 'participantId').to.equal('');
    expect(el.participant, 'participant').to.be.undefined;
    expect(el.speaking, 'speaking').to.be.false;
    expect(label(el), 'no name without a participant').to.be.null;
    expect(part(el, 'name')!.hidden, 'name plate hidden').to.be.true;
    await expect(el, 'empty tile').to.be.accessible();
  });

  it('reflects source, fit, mirrored and without-quality', async () => {
    const el = await fixture<VideoTile>(html`<video-tile></video-tile>`);
    el.source = 'screen';
    el.fit = 'contain';
    el.mirrored = true;
    el.withoutQuality = true;
    await el.updateComplete;
    expect(el.getAttribute('source'), 'source').to.equal('screen');
    expect(el.getAttribute('fit'), 'fit').to.equal('contain');
    expect(el.hasAttribute('mirrored'), 'mirrored').to.be.true;
    expect(el.hasAttribute('without-quality'), 'without-quality').to.be.true;
    el.setAttribute('participant-id', 'p2');
    el.removeAttribute('mirrored');
    await el.updateComplete;
    expect(el.participantId, 'participant-id → participantId').to.equal('p2');
    expect(el.mirrored, 'mirrored off').to.be.false;
  });

  it('renders every documented part', async () => {
    const { el, session } = await setup({ speaking: [2], stats: { packetLossPercent: 2 } }, 2);
    for (const name of ['base', 'video', 'initials', 'name', 'status', 'speaking-icon', 'quality'])
      expect(part(el, name), `part ${name}`).to.exist;
    session.updateParticipant('p2', { micOn: false });
    el.participant = (await firstValueFrom(session.participants$))[2];
    await el.updateComplete;
    expect(part(el, 'muted-icon'), 'part muted-icon').to.exist;
  });

  it('uses the name and end slots', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false });
    sessions.push(session);
    const [, p] = await firstValueFrom(session.participants$);
    const el = await fixture<VideoTile>(
      html`<video-tile .session=${session} .participant=${p}
        ><b slot="name">Dr. Hopper</b><span slot="end" id="extra">★</span></video-tile
      >`,
    );
    const slots = [...el.shadowRoot!.querySelectorAll('slot')];
    const assigned = (name: string) =>
      slots
        .find((s) => s.name === name)!
        .assignedElements()
        .map((e) => e.textContent);
    expect(assigned('name'), 'name slot').to.deep.equal(['Dr. Hopper']);
    expect(assigned('end'), 'end slot').to.deep.equal(['★']);
    expect(label(el), 'accessible name stays the participant name').to.equal('Grace Hopper');
  });

  it('shows initials when the camera is off, and labelled icons for muted and speaking', async () => {
    const { el, session } = await setup({}, 1);
    expect(part(el, 'initials')!.textContent!.trim(), 'initials').to.equal('GH');
    expect(el.matches(':state(no-video)'), 'no-video').to.be.true;
    expect(part(el, 'muted-icon'), 'no muted icon while the mic is on').to.be.null;
    session.updateParticipant('p1', { micOn: false });
    el.participant = (await firstValueFrom(session.participants$))[1];
    await el.updateComplete;
    expect(part(el, 'muted-icon')!.getAttribute('aria-label'), 'muted label').to.equal('Microphone off');
    expect(el.matches(':state(muted)')).to.be.true;
  });

  it('follows the audio level for speaking, with a short hold, and never while muted', async () => {
    const { el, session } = await setup({}, 1);
    expect(el.matches(':state(speaking)'), 'silent').to.be.false;
    session.setAudioLevel('p1', 0.5);
    await el.updateComplete;
    expect(el.matches(':state(speaking)'), 'speaking with level').to.be.true;
    expect(part(el, 'speaking-icon')!.getAttribute('aria-label'), 'speaking label').to.equal('Speaking');
    session.setAudioLevel('p1', 0);
    await el.updateComplete;
    expect(el.matches(':state(speaking)'), 'held briefly after the level drops').to.be.true;
    await waitUntil(() => !el.matches(':state(speaking)'), 'speaking never ended', { timeout: 2000 });
    session.setAudioLevel('p1', 0.9);
    session.updateParticipant('p1', { micOn: false });
    el.participant = (await firstValueFrom(session.participants$))[1];
    await el.updateComplete;
    expect(el.matches(':state(speaking)'), 'a muted participant is never speaking').to.be.false;
  });

  it('sets local and screen states and mirrors only the camera', async () => {
    const { el } = await setup({}, 0, 'mirrored');
    expect(el.matches(':state(local)'), 'local').to.be.true;
    expect(label(el), 'local label').to.equal('Ada Lovelace (you)');
    expect(getComputedStyle(video(el)).transform, 'mirrored camera').to.not.equal('none');
    el.source = 'screen';
    await el.updateComplete;
    expect(el.matches(':state(screen)'), 'screen').to.be.true;
    expect(getComputedStyle(video(el)).transform, 'screens are never mirrored').to.equal('none');
    expect(getComputedStyle(video(el)).objectFit, 'screens letterbox by default').to.equal('contain');
    el.fit = 'cover';
    await el.updateComplete;
    expect(getComputedStyle(video(el)).objectFit, 'fit overrides').to.equal('cover');
  });

  it('shows quality from the session and hides it with without-quality', async () => {
    const { el, session } = await setup({ stats: { packetLossPercent: 0, jitterMs: 5 } }, 1);
    expect(part(el, 'quality')!.getAttribute('aria-label')).to.equal('Connection: good');
    session.setStats({ packetLossPercent: 3 });
    await el.updateComplete;
    expect(part(el, 'quality')!.getAttribute('aria-label')).to.equal('Connection: fair');
    const before = session.activeSubscriptions;
    el.withoutQuality = true;
    await el.updateComplete;
    expect(part(el, 'quality'), 'hidden').to.be.null;
    expect(session.activeSubscriptions, 'stats no longer sampled').to.equal(before - 1);
  });

  it('plays the canvas camera track: frames arrive and srcObject is set once', async () => {
    const { el, session, participant } = await setup({ withVideo: true }, 1);
    const v = video(el);
    await waitUntil(() => v.videoWidth > 0, 'no decoded frames', { timeout: 5000 });
    await el.updateComplete;
    expect(v.muted && v.autoplay && v.playsInline, 'muted playsinline autoplay').to.be.true;
    expect(el.matches(':state(no-video)'), 'has video').to.be.false;
    expect(v.classList.contains('shown'), 'video shown once it has frames').to.be.true;
    const stream = v.srcObject as MediaStream;
    expect(stream.getVideoTracks()[0], 'the participant camera track').to.equal(participant.video.camera);
    session.updateParticipant('p1', { speaking: true, handRaised: true });
    el.participant = (await firstValueFrom(session.participants$))[1];
    await el.updateComplete;
    expect(v.srcObject, 'same stream after an update that keeps the track').to.equal(stream);
    session.updateParticipant('p1', { cameraOn: false });
    el.participant = (await firstValueFrom(session.participants$))[1];
    await el.updateComplete;
    expect(v.srcObject, 'released when the camera goes off').to.be.null;
    expect(el.matches(':state(no-video)')).to.be.true;
  });

  it('shows "Connection lost" instead of a frozen frame when a remote video stops arriving', async () => {
    const { el, session } = await setup({ withVideo: true }, 1);
    const v = video(el);
    await waitUntil(() => v.videoWidth > 0, 'no decoded frames', { timeout: 5000 });
    session.setStats({ bitrateKbps: 300, stalledMs: 0 });
    await el.updateComplete;
    expect(el.matches(':state(connection-lost)'), 'flowing').to.be.false;
    session.setStats({ bitrateKbps: 0, stalledMs: 2_000 });
    await el.updateComplete;
    expect(el.matches(':state(connection-lost)'), 'a short gap is not a loss').to.be.false;
    session.setStats({ bitrateKbps: 0, stalledMs: 3_000 });
    await el.updateComplete;
    expect(el.matches(':state(connection-lost)'), 'lost').to.be.true;
    expect(part(el, 'lost')?.textContent?.trim()).to.equal('Connection lost');
    expect(part(el, 'lost')?.getAttribute('role')).to.equal('status');
    expect(v.classList.contains('shown'), 'the frozen frame is hidden').to.be.false;
    expect(part(el, 'initials')!.hidden, 'initials instead').to.be.false;
    await expect(el, 'lost').to.be.accessible();
    session.setStats({ bitrateKbps: 250, stalledMs: 0 });
    await el.updateComplete;
    expect(el.matches(':state(connection-lost)'), 'back').to.be.false;
    expect(part(el, 'lost')).to.be.null;
  });

  it('never calls its own video lost', async () => {
    const { el, session } = await setup({ withVideo: true }, 0);
    session.setStats({ stalledMs: 10_000 });
    await el.updateComplete;
    expect(el.matches(':state(connection-lost)')).to.be.false;
  });

  it('finds a participant by participant-id in the session of a provider', async () => {
    const session = new FakeCallSession({ participants: 3, withVideo: false, muted: [2] });
    sessions.push(session);
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const provider = new ContextProvider(holder, { context: callSessionContext, initialValue: session });
    provider.hostConnected();
    const el = document.createElement('video-tile');
    el.participantId = 'p2';
    holder.append(el);
    await el.updateComplete;
    expect(label(el), 'found by id').to.equal('Alan Turing');
    expect(el.matches(':state(muted)')).to.be.true;
    session.updateParticipant('p2', { micOn: true, name: 'Alan M. Turing' });
    await el.updateComplete;
    expect(label(el), 'follows participant updates').to.equal('Alan M. Turing');
    expect(el.matches(':state(muted)')).to.be.false;
    const participant: CallParticipant = session.makeParticipant({ id: 'x', name: 'Explicit Person' });
    el.participant = participant;
    await el.updateComplete;
    expect(label(el), '.participant wins').to.equal('Explicit Person');
    el.remove();
    expect(session.activeSubscriptions, 'subscriptions after remove').to.equal(0);
  });

  it('fires no events when the page sets properties', async () => {
    const { el, session } = await setup({}, 1);
    const fired: string[] = [];
    const original = el.dispatchEvent.bind(el);
    el.dispatchEvent = (e: Event) => (fired.push(e.type), original(e));
    el.source = 'screen';
    el.mirrored = true;
    el.participant = (await firstValueFrom(session.participants$))[2];
    await el.updateComplete;
    expect(fired, 'events').to.deep.equal([]);
  });

  it('ends every subscription and releases the track on disconnect, and resumes on reconnect', async () => {
    const { el, session } = await setup({ withVideo: true }, 1);
    expect(session.activeSubscriptions, 'level and stats while connected').to.equal(2);
    const v = video(el);
    expect(v.srcObject, 'attached').to.not.be.null;
    el.remove();
    expect(session.activeSubscriptions, 'subscriptions after remove').to.equal(0);
    expect(v.srcObject, 'released').to.be.null;
    document.body.append(el);
    await el.updateComplete;
    await el.updateComplete;
    expect(session.activeSubscriptions, 'resubscribed').to.equal(2);
    expect(v.srcObject, 're-attached').to.not.be.null;
    el.remove();
    expect(session.activeSubscriptions).to.equal(0);
  });

  it('reads tokens with literal fallbacks and declares no public ones', () => {
    expectTokenContract(VideoTile.styles, styles);
  });
});
