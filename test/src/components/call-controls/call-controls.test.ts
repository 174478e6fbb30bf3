import { ContextProvider } from '@lit/context';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define/call-controls.js';
import { CallControls } from '../../../../src/components/call-controls/call-controls.js';
import { styles } from '../../../../src/components/call-controls/call-controls.styles.js';
import type { CallControlsChangeEvent } from '../../../../src/events/call-controls-change.js';
import { callSessionContext } from '../../../../src/context/call-session-context.js';
import type { LocalMediaState } from '../../../../src/core/types.js';
import type { CallLeaveRequestEvent } from '../../../../src/events/call-leave-request.js';
import type { CallSettingsToggleEvent } from '../../../../src/events/call-settings-toggle.js';
import type { CallChatToggleEvent } from '../../../../src/events/call-chat-toggle.js';
import { FakeCallSession } from '../../../../src/testing/fake-call-session.js';
import { expectTokenContract } from '../../../support/token-contract.js';

const part = (el: CallControls, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const button = (el: CallControls, name: string) => part(el, name) as HTMLButtonElement;
const pressed = (el: CallControls, name: string) => button(el, name).getAttribute('aria-pressed');
const name = (el: CallControls, which: string) => button(el, which).textContent!.trim();

async function setup(localMedia: Partial<LocalMediaState> = {}, { chat = true } = {}) {
  const session = new FakeCallSession({ participants: 2, withVideo: false, localMedia, chat });
  const el = await fixture<CallControls>(html`<call-controls .session=${session}></call-controls>`);
  return { el, session };
}

let recording = new AbortController();
afterEach(() => {
  recording.abort();
  recording = new AbortController();
});

/** Collects every event of `type` that reaches the document during this test. */
function record<T extends Event>(type: string): T[] {
  const events: T[] = [];
  document.addEventListener(type, (e: Event) => events.push(e as T), { signal: recording.signal });
  return events;
}

describe('<call-controls>', () => {
  it('is accessible, with constant names and aria-pressed toggles', async () => {
    const { el } = await setup();
    expect(part(el, 'base')!.getAttribute('role'), 'a named group').to.equal('group');
    expect(part(el, 'base')!.getAttribute('aria-label')).to.equal('Call controls');
    expect(name(el, 'mic'), 'mic name').to.equal('Microphone');
    expect(name(el, 'camera'), 'camera name').to.equal('Camera');
    expect(name(el, 'screen'), 'screen name').to.equal('Share screen');
    expect(name(el, 'settings'), 'settings name').to.equal('Settings');
    expect(name(el, 'leave'), 'leave name').to.equal('Leave call');
    expect(pressed(el, 'mic'), 'mic on').to.equal('true');
    expect(pressed(el, 'camera'), 'camera on').to.equal('true');
    expect(pressed(el, 'screen'), 'not sharing').to.equal('false');
    expect(button(el, 'settings').getAttribute('aria-expanded'), 'settings closed').to.equal('false');
    await expect(el).to.be.accessible();
  });

  for (const [state, media, customState] of [
    ['muted', { micOn: false }, 'muted'],
    ['camera off', { cameraOn: false }, 'camera-off'],
    ['sharing', { screenOn: true }, 'sharing'],
    ['talking while muted', { micOn: false, talkingWhileMuted: true }, 'talking-while-muted'],
    ['unable to publish', { canPublish: false }, 'cannot-publish'],
  ] as const) {
    it(`is accessible ${state}, with the ${customState} state`, async () => {
      const { el } = await setup(media);
      expect(el.matches(`:state(${customState})`), customState).to.be.true;
      await expect(el).to.be.accessible();
    });
  }

  it('keeps names constant while the state changes', async () => {
    const { el, session } = await setup();
    session.setLocalMedia({ micOn: false, cameraOn: false, screenOn: true });
    await el.updateComplete;
    expect([name(el, 'mic'), name(el, 'camera'), name(el, 'screen')]).to.deep.equal([
      'Microphone',
      'Camera',
      'Share screen',
    ]);
    expect([pressed(el, 'mic'), pressed(el, 'camera'), pressed(el, 'screen')]).to.deep.equal([
      'false',
      'false',
      'true',
    ]);
  });

  it('gives a viewer without chat settings and leave only, accessibly, and the viewer state', async () => {
    const { el } = await setup({ canPublish: false, viewer: true }, { chat: false });
    const parts = [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.getAttribute('part'));
    expect(parts).to.deep.equal(['settings', 'leave']);
    expect(el.matches(':state(viewer)')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('has defaults and reflects settings-open and without-labels', async () => {
    const { el } = await setup();
    expect(el.settingsOpen, 'settingsOpen').to.be.false;
    expect(el.withoutLabels, 'withoutLabels').to.be.false;
    el.settingsOpen = true;
    el.withoutLabels = true;
    await el.updateComplete;
    expect(el.hasAttribute('settings-open'), 'settings-open').to.be.true;
    expect(el.hasAttribute('without-labels'), 'without-labels').to.be.true;
    expect(button(el, 'settings').getAttribute('aria-expanded'), 'aria-expanded follows').to.equal('true');
    const label = button(el, 'mic').querySelector('.label')!;
    expect(label.getBoundingClientRect().width, 'label visually hidden').to.be.at.most(1);
    expect(name(el, 'mic'), 'but still names the button').to.equal('Microphone');
    await expect(el, 'without labels').to.be.accessible();
    el.removeAttribute('settings-open');
    await el.updateComplete;
    expect(el.settingsOpen).to.be.false;
  });

  it('renders every documented part', async () => {
    const { el } = await setup({ canPublish: false });
    el.chatUnread = 1;
    await el.updateComplete;
    for (const p of [
      'base',
      'mic',
      'camera',
      'screen',
      'chat',
      'chat-unread',
      'settings',
      'leave',
      'hint',
      'reason',
    ])
      expect(part(el, p), `part ${p}`).to.exist;
  });

  it('puts slotted buttons at the start and end', async () => {
    const session = new FakeCallSession({ withVideo: false });
    const el = await fixture<CallControls>(
      html`<call-controls .session=${session}
        ><button slot="start">Hand</button><button slot="end">Chat</button></call-controls
      >`,
    );
    const slots = [...el.shadowRoot!.querySelectorAll('slot')];
    const assigned = (n: string) =>
      slots
        .find((s) => s.name === n)!
        .assignedElements()
        .map((e) => e.textContent);
    expect(assigned('start')).to.deep.equal(['Hand']);
    expect(assigned('end')).to.deep.equal(['Chat']);
    await expect(el).to.be.accessible();
  });

  it('toggles the microphone on click and fires a composed change', async () => {
    const { el, session } = await setup();
    const changed = oneEvent(el, 'change') as Promise<CallControlsChangeEvent>;
    button(el, 'mic').click();
    const event = await changed;
    expect(event.detail, 'detail').to.deep.equal({ kind: 'microphone', on: false });
    expect(event.bubbles && event.composed, 'bubbles and composed').to.be.true;
    expect(session.calls, 'session command').to.deep.equal(['setMicEnabled(false)']);
    await el.updateComplete;
    expect(pressed(el, 'mic'), 'follows localMedia$').to.equal('false');
    expect(el.matches(':state(muted)')).to.be.true;
  });

  it('toggles camera and screen sharing', async () => {
    const { el, session } = await setup();
    const events = record<CallControlsChangeEvent>('change');
    button(el, 'camera').click();
    button(el, 'screen').click();
    await el.updateComplete;
    expect(session.calls).to.deep.equal(['setCameraEnabled(false)', 'setScreenShareEnabled(true)']);
    expect(events.map((e) => e.detail)).to.deep.equal([
      { kind: 'camera', on: false },
      { kind: 'screen', on: true },
    ]);
    expect(pressed(el, 'screen')).to.equal('true');
    expect(el.matches(':state(sharing)')).to.be.true;
  });

  it('fires nothing when the state changes without the user', async () => {
    const { el, session } = await setup();
    const events = [...record('change'), ...record('call-settings-toggle'), ...record('call-leave-request')];
    const fired: string[] = [];
    el.addEventListener('change', (e) => fired.push(e.type));
    el.addEventListener('call-settings-toggle', (e) => fired.push(e.type));
    session.setLocalMedia({ micOn: false, cameraOn: false, screenOn: true });
    el.settingsOpen = true;
    await el.updateComplete;
    expect(pressed(el, 'mic'), 'state followed').to.equal('false');
    expect([...events, ...fired], 'events').to.deep.equal([]);
    expect(session.calls, 'no commands').to.deep.equal([]);
  });

  it('works with Space and Enter', async () => {
    const { el, session } = await setup();
    button(el, 'mic').focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(pressed(el, 'mic'), 'Space toggles the mic').to.equal('false');
    button(el, 'camera').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(pressed(el, 'camera'), 'Enter toggles the camera').to.equal('false');
    button(el, 'settings').focus();
    const toggled = oneEvent(el, 'call-settings-toggle') as Promise<CallSettingsToggleEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await toggled).detail.open, 'Enter opens settings').to.be.true;
    expect(session.calls).to.deep.equal(['setMicEnabled(false)', 'setCameraEnabled(false)']);
  });

  it('toggles settings with aria-expanded and a composed call-settings-toggle', async () => {
    const { el } = await setup();
    const events = record<CallSettingsToggleEvent>('call-settings-toggle');
    button(el, 'settings').click();
    await el.updateComplete;
    expect(button(el, 'settings').getAttribute('aria-expanded')).to.equal('true');
    expect(el.settingsOpen).to.be.true;
    button(el, 'settings').click();
    await el.updateComplete;
    expect(button(el, 'settings').getAttribute('aria-expanded')).to.equal('false');
    expect(
      events.map((e) => e.detail.open),
      'open, then closed',
    ).to.deep.equal([true, false]);
    expect(
      events.every((e) => e.bubbles && e.composed),
      'bubbles and composed',
    ).to.be.true;
  });

  it('shows the chat button with the unread count in its name, and 99+ beyond 99', async () => {
    const { el } = await setup();
    expect(name(el, 'chat'), 'visible label').to.equal('Chat');
    expect(button(el, 'chat').getAttribute('aria-label'), 'nothing unread').to.equal('Chat');
    expect(part(el, 'chat-unread'), 'no badge').to.not.exist;
    el.chatUnread = 3;
    await el.updateComplete;
    expect(part(el, 'chat-unread')!.textContent!.trim()).to.equal('3');
    expect(part(el, 'chat-unread')!.getAttribute('aria-hidden'), 'the name says it instead').to.equal('true');
    expect(button(el, 'chat').getAttribute('aria-label')).to.equal('Chat, 3 unread');
    await expect(el).to.be.accessible();
    el.setAttribute('chat-unread', '150');
    await el.updateComplete;
    expect(part(el, 'chat-unread')!.textContent!.trim()).to.equal('99+');
    expect(button(el, 'chat').getAttribute('aria-label')).to.equal('Chat, 150 unread');
    el.chatUnread = 0;
    await el.updateComplete;
    expect(part(el, 'chat-unread'), 'badge gone once read').to.not.exist;
  });

  it('toggles the chat with aria-expanded and a composed call-chat-toggle, none when set by script', async () => {
    const { el } = await setup();
    const events = record<CallChatToggleEvent>('call-chat-toggle');
    el.chatOpen = true;
    await el.updateComplete;
    expect(button(el, 'chat').getAttribute('aria-expanded'), 'set by script').to.equal('true');
    expect(events.length, 'no event for a programmatic set').to.equal(0);
    button(el, 'chat').click();
    await el.updateComplete;
    expect(button(el, 'chat').getAttribute('aria-expanded')).to.equal('false');
    button(el, 'chat').click();
    await el.updateComplete;
    expect(events.map((e) => e.detail.open)).to.deep.equal([false, true]);
    expect(events.every((e) => e.bubbles && e.composed)).to.be.true;
  });

  it('has no chat button when the session has no chat', async () => {
    const session = new FakeCallSession({ withVideo: false, chat: false });
    const el = await fixture<CallControls>(html`<call-controls .session=${session}></call-controls>`);
    expect(part(el, 'chat')).to.not.exist;
  });

  it('asks before leaving: a cancelable call-leave-request, then session.leave()', async () => {
    const { el, session } = await setup();
    const stop = (e: CallLeaveRequestEvent) => e.preventDefault();
    el.addEventListener('call-leave-request', stop, { once: true });
    const requested = oneEvent(el, 'call-leave-request') as Promise<CallLeaveRequestEvent>;
    button(el, 'leave').click();
    const event = await requested;
    expect(event.cancelable && event.bubbles && event.composed, 'cancelable, bubbles, composed').to.be.true;
    expect(session.calls, 'prevented: stays').to.deep.equal([]);
    button(el, 'leave').focus();
    await sendKeys({ press: 'Enter' });
    expect(session.calls, 'not prevented: leaves').to.deep.equal(['leave()']);
  });

  it('keeps unavailable toggles focusable with aria-disabled and a reason', async () => {
    const { el, session } = await setup({ canPublish: false, micOn: false, cameraOn: false });
    const events = record('change');
    for (const which of ['mic', 'camera', 'screen']) {
      const b = button(el, which);
      expect(b.disabled, `${which} not disabled`).to.be.false;
      expect(b.getAttribute('aria-disabled'), `${which} aria-disabled`).to.equal('true');
      expect(b.getAttribute('aria-describedby'), `${which} described by the reason`).to.equal('reason');
      b.click();
    }
    const reason = part(el, 'reason')!;
    expect(reason.id).to.equal('reason');
    expect(reason.hidden, 'reason visible').to.be.false;
    expect(reason.textContent).to.contain('can’t turn on');
    button(el, 'mic').focus();
    await sendKeys({ press: 'Space' });
    expect(el.shadowRoot!.activeElement, 'still focusable').to.equal(button(el, 'mic'));
    expect(session.calls, 'no commands').to.deep.equal([]);
    expect(events, 'no change events').to.deep.equal([]);
    session.setLocalMedia({ canPublish: true });
    await el.updateComplete;
    expect(button(el, 'mic').hasAttribute('aria-disabled'), 'available again').to.be.false;
    expect(part(el, 'reason')!.hidden).to.be.true;
  });

  it('hides screen sharing when the browser cannot share', async () => {
    const { el } = await setup({ canShareScreen: false });
    expect(part(el, 'screen'), 'no screen toggle').to.be.null;
    await expect(el).to.be.accessible();
  });

  it('shows the talking-while-muted hint next to the mic, politely', async () => {
    const { el, session } = await setup({ micOn: false });
    const hint = part(el, 'hint')!;
    expect(hint.getAttribute('role'), 'a status region').to.equal('status');
    expect(hint.textContent!.trim(), 'empty while quiet').to.equal('');
    expect(getComputedStyle(hint).display, 'not shown').to.equal('none');
    session.setLocalMedia({ talkingWhileMuted: true });
    await el.updateComplete;
    expect(hint.textContent!.trim()).to.equal('Are you talking? Your microphone is off.');
    expect(getComputedStyle(hint).display, 'shown').to.not.equal('none');
    expect(button(el, 'mic').getAttribute('aria-describedby'), 'mic described by the hint').to.equal('hint');
    session.setLocalMedia({ micOn: true });
    await el.updateComplete;
    expect(hint.textContent!.trim(), 'gone once the mic is on').to.equal('');
  });

  it('takes the session from a provider and ends every subscription on disconnect', async () => {
    const session = new FakeCallSession({ withVideo: false, localMedia: { micOn: false } });
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    new ContextProvider(holder, { context: callSessionContext, initialValue: session }).hostConnected();
    const el = document.createElement('call-controls');
    holder.append(el);
    await el.updateComplete;
    expect(pressed(el, 'mic'), 'from the provided session').to.equal('false');
    // localMedia$, and participants$ for the raise-hand toggle.
    expect(session.activeSubscriptions, 'subscribed').to.equal(2);
    el.remove();
    expect(session.activeSubscriptions, 'subscriptions after remove').to.equal(0);
  });

  it('reads tokens with literal fallbacks and declares no public ones', () => {
    expectTokenContract(CallControls.styles, styles);
  });
});
