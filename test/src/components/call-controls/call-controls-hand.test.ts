import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../../src/define/call-controls.js';
import type { CallControls } from '../../../../src/components/call-controls/call-controls.js';
import type { CallControlsChangeEvent } from '../../../../src/events/call-controls-change.js';
import { FakeCallSession } from '../../../../src/testing/fake-call-session.js';

const part = (el: CallControls, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

const sessions: FakeCallSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

async function setup(attributes = false) {
  const session = new FakeCallSession({ participants: 2, withVideo: false });
  sessions.push(session);
  const el = attributes
    ? await fixture<CallControls>(html`<call-controls without-reactions .session=${session}></call-controls>`)
    : await fixture<CallControls>(html`<call-controls .session=${session}></call-controls>`);
  return { el, session };
}

describe('<call-controls> raise hand and reactions', () => {
  it('toggles the hand with a constant name and aria-pressed, firing change { kind: hand }', async () => {
    const { el, session } = await setup();
    const hand = part(el, 'hand')!;
    expect(hand.textContent!.trim()).to.equal('Raise hand');
    expect(hand.getAttribute('aria-pressed')).to.equal('false');
    expect(hand.getAttribute('aria-keyshortcuts')).to.equal('Control+Alt+H');
    const change = oneEvent(el, 'change') as Promise<CallControlsChangeEvent>;
    hand.click();
    expect((await change).detail).to.deep.equal({ kind: 'hand', on: true });
    await el.updateComplete;
    expect(hand.getAttribute('aria-pressed')).to.equal('true');
    expect(hand.textContent!.trim(), 'the name stays').to.equal('Raise hand');
    expect(el.matches(':state(hand-raised)')).to.be.true;
    expect(session.calls).to.deep.equal(['setHandRaised(true)']);
    await expect(el).to.be.accessible();
  });

  it('fires nothing when the hand goes down by itself (a host lowered it)', async () => {
    const { el, session } = await setup();
    let fired = 0;
    el.addEventListener('change', () => fired++);
    session.updateParticipant('local', { handRaised: true });
    await el.updateComplete;
    session.updateParticipant('local', { handRaised: false });
    await el.updateComplete;
    expect(fired).to.equal(0);
    expect(part(el, 'hand')!.getAttribute('aria-pressed')).to.equal('false');
  });

  it('sends a reaction from the reactions toolbar and closes it', async () => {
    const { el, session } = await setup();
    part(el, 'reactions')!.click();
    const menu = part(el, 'reactions-menu')!;
    expect(menu.matches(':popover-open')).to.be.true;
    expect(menu.getAttribute('role')).to.equal('toolbar');
    const buttons = [...menu.querySelectorAll<HTMLButtonElement>('[part~="reaction"]')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      'Send 👍',
      'Send 👏',
      'Send ❤️',
      'Send 😂',
      'Send 😮',
      'Send 🎉',
    ]);
    await expect(el, 'toolbar open').to.be.accessible();
    buttons[1]!.click();
    expect(session.calls).to.deep.equal(['react(👏)']);
    expect(menu.matches(':popover-open')).to.be.false;
  });

  it('has no reactions button with without-reactions', async () => {
    const { el } = await setup(true);
    expect(part(el, 'reactions')).to.equal(null);
    expect(el.withoutReactions).to.be.true;
  });
});
