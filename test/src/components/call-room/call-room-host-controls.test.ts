import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define/call-room.js';
import type { CallRoom } from '../../../../src/components/call-room/call-room.js';
import type { VideoTile } from '../../../../src/components/video-tile/video-tile.js';
import type { CallHandChangeEvent } from '../../../../src/events/call-hand-change.js';
import type { CallReactionEvent } from '../../../../src/events/call-reaction.js';
import type { CallSpotlightChangeEvent } from '../../../../src/events/call-spotlight-change.js';
import { FakeCallSession, type FakeSessionOptions } from '../../../../src/testing/fake-call-session.js';

const part = (el: CallRoom, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const tileOf = (el: CallRoom, id: string) =>
  [...el.shadowRoot!.querySelectorAll<VideoTile>('video-tile')].find((t) => t.participant?.id === id)!;
const floating = (el: CallRoom) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="reaction"]')].map((r) => r.textContent!.trim());
const live = (el: CallRoom) => el.shadowRoot!.querySelector('[aria-live="polite"]')!.textContent!.trim();

const sessions: FakeCallSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

async function room(options: FakeSessionOptions = {}, attributes = '') {
  const session = new FakeCallSession({ participants: 3, withVideo: false, ...options });
  sessions.push(session);
  const el = await fixture<CallRoom>(
    attributes === 'without-reactions'
      ? html`<call-room room="standup" without-reactions .session=${session}></call-room>`
      : html`<call-room room="standup" .session=${session}></call-room>`,
  );
  await el.updateComplete;
  return { el, session };
}

describe('<call-room> hands, reactions and host controls', () => {
  it('floats a reaction over its sender’s tile, announces it politely, fires call-reaction', async () => {
    const { el, session } = await room();
    const event = oneEvent(el, 'call-reaction') as Promise<CallReactionEvent>;
    session.emitReaction('p1', '🎉');
    const { detail, bubbles, composed } = await event;
    expect([detail.participant.id, detail.emoji, bubbles, composed]).to.deep.equal(['p1', '🎉', true, true]);
    await el.updateComplete;
    const reaction = part(el, 'reaction')!;
    expect(reaction.slot, 'in the tile’s overlay').to.equal('overlay');
    expect(reaction.parentElement, 'over the sender’s tile').to.equal(tileOf(el, 'p1'));
    expect(reaction.getAttribute('aria-hidden'), 'decorative; the live region speaks').to.equal('true');
    expect(live(el)).to.equal('Grace Hopper reacted with 🎉');
    await expect(el).to.be.accessible();
  });

  it('lets a reaction go after a few seconds, and keeps at most five per tile', async () => {
    const { el, session } = await room();
    for (let i = 0; i < 7; i++) session.emitReaction('p2', '👍');
    await el.updateComplete;
    expect(floating(el).length, 'five at most').to.equal(5);
    await waitUntil(() => floating(el).length === 0, 'gone after ~4 s', { timeout: 6000 });
  });

  it('with without-reactions: no reactions button, nothing floats or is announced, the event still fires', async () => {
    const { el, session } = await room({}, 'without-reactions');
    const controls = el.shadowRoot!.querySelector('call-controls')!;
    await (controls as unknown as { updateComplete: Promise<void> }).updateComplete;
    expect(controls.shadowRoot!.querySelector('[part~="reactions"]'), 'no button').to.equal(null);
    const event = oneEvent(el, 'call-reaction');
    session.emitReaction('p1', '👏');
    await event;
    await el.updateComplete;
    expect(floating(el)).to.deep.equal([]);
    expect(live(el)).to.equal('');
  });

  it('fires call-hand-change when a hand goes up or down, announces raised hands, shows them on the tile', async () => {
    const { el, session } = await room();
    const up = oneEvent(el, 'call-hand-change') as Promise<CallHandChangeEvent>;
    session.updateParticipant('p2', { handRaised: true, handRaisedAt: 10 });
    const raised = await up;
    expect([raised.detail.participant.id, raised.detail.raised]).to.deep.equal(['p2', true]);
    expect(raised.detail.hands.map((p) => p.id)).to.deep.equal(['p2']);
    await el.updateComplete;
    expect(live(el)).to.equal('Alan Turing raised their hand');
    const tile = tileOf(el, 'p2');
    await tile.updateComplete;
    expect(tile.matches(':state(hand-raised)'), 'the tile shows it').to.be.true;
    expect(tile.shadowRoot!.querySelector('[part~="hand-icon"]')!.getAttribute('aria-label')).to.equal(
      'Hand raised',
    );
    const down = oneEvent(el, 'call-hand-change') as Promise<CallHandChangeEvent>;
    session.updateParticipant('p2', { handRaised: false, handRaisedAt: undefined });
    expect((await down).detail.raised).to.equal(false);
  });

  it('raises and lowers the local hand with Ctrl+Alt+H', async () => {
    const { el, session } = await room();
    el.focus();
    await sendKeys({ press: 'Control+Alt+KeyH' });
    expect(session.calls).to.include('setHandRaised(true)');
    await el.updateComplete;
    await sendKeys({ press: 'Control+Alt+KeyH' });
    expect(session.calls).to.include('setHandRaised(false)');
  });

  it('puts a spotlighted participant on the large place and fires call-spotlight-change', async () => {
    const { el, session } = await room();
    const event = oneEvent(el, 'call-spotlight-change') as Promise<CallSpotlightChangeEvent>;
    session.updateParticipant('p2', { spotlighted: true });
    const { detail } = await event;
    expect([detail.participant?.id, detail.previous]).to.deep.equal(['p2', undefined]);
    await el.updateComplete;
    const large = el.shadowRoot!.querySelector<VideoTile>('.spotlight video-tile');
    expect(large?.participant?.id, 'the spotlit tile is large').to.equal('p2');
    expect(large!.matches(':state(spotlighted)')).to.be.true;
  });

  it('asks to unmute without unmuting; Unmute is the user’s choice', async () => {
    const { el, session } = await room({ muted: [0] });
    session.emitHostRequest({ request: 'ask-unmute', by: 'p1' });
    await el.updateComplete;
    const prompt = part(el, 'host-request')!;
    expect(prompt.getAttribute('role')).to.equal('alertdialog');
    expect(prompt.textContent).to.contain('Grace Hopper asks you to unmute.');
    // (Tiles report how they show each video, for simulcast: not a change of anyone's media.)
    const changes = session.calls.filter((c) => !c.startsWith('setVideoView('));
    expect(changes, 'nothing changed by itself').to.deep.equal(['setMaxVideo(9)']);
    await expect(el, 'with the prompt').to.be.accessible();
    [...prompt.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Unmute')!.click();
    await el.updateComplete;
    expect(session.calls).to.include('setMicEnabled(true)');
    expect(part(el, 'host-request'), 'answered').to.equal(null);
  });

  it('says so when a host muted the microphone, and fires call-media-change with reason remote', async () => {
    const { el, session } = await room();
    const media: string[] = [];
    el.addEventListener('call-media-change', ({ detail: d }) =>
      media.push(`${d.participant.isLocal ? 'me' : d.participant.id}:${d.kind}:${d.enabled}:${d.reason}`),
    );
    session.emitHostRequest({ request: 'mute-mic', by: 'p1' });
    await el.updateComplete;
    expect(session.calls).to.include('setMicEnabled(false)');
    expect(part(el, 'host-request')!.textContent).to.contain('Grace Hopper muted your microphone.');
    session.emitHostRequest({ request: 'stop-camera', by: 'p1' });
    // The user's own toggles afterwards are theirs; a mute of a mic that is already off changes nothing.
    session.setMicEnabled(true);
    session.setMicEnabled(false);
    session.emitHostRequest({ request: 'mute-mic', by: 'p1' });
    session.setMicEnabled(true);
    expect(media).to.deep.equal([
      'me:audio:false:remote',
      'me:video:false:remote',
      'me:audio:true:user',
      'me:audio:false:user',
      'me:audio:true:user',
    ]);
  });

  it('shows the removed screen, without Try again, and fires call-removed once', async () => {
    const { el, session } = await room();
    let removed = 0;
    el.addEventListener('call-removed', () => removed++);
    session.setRemoved();
    await el.updateComplete;
    const screen = part(el, 'removed')!;
    expect(screen.textContent).to.contain('You were removed from the call.');
    expect(screen.getAttribute('role')).to.equal('alert');
    expect(el.matches(':state(removed)') && el.matches(':state(error)')).to.be.true;
    expect(el.shadowRoot!.textContent, 'no way back in').not.to.contain('Try again');
    expect(removed).to.equal(1);
    await expect(el, 'removed').to.be.accessible();
  });
});
