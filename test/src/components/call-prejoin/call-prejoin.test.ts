import { ContextProvider } from '@lit/context';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define/call-prejoin.js';
import { CallPrejoin } from '../../../../src/components/call-prejoin/call-prejoin.js';
import { styles } from '../../../../src/components/call-prejoin/call-prejoin.styles.js';
import { callSessionContext } from '../../../../src/context/call-session-context.js';
import type { CallJoinRequestEvent } from '../../../../src/events/call-join-request.js';
import type { RoomLobby } from '../../../../src/protocol/index.js';
import { FakeCallSession, type FakeSessionOptions } from '../../../../src/testing/fake-call-session.js';
import { expectTokenContract } from '../../../support/token-contract.js';

const NAME_KEY = 'call-elements-display-name';

const part = (el: CallPrejoin, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const button = (el: CallPrejoin, name: string) => part(el, name) as HTMLButtonElement;
const input = (el: CallPrejoin) => part(el, 'name-input') as HTMLInputElement;
const form = (el: CallPrejoin) => part(el, 'base') as HTMLFormElement;
const text = (el: CallPrejoin, name: string) => part(el, name)!.textContent!.trim();
const previews = (session: FakeCallSession, call: string) => session.calls.filter((c) => c === call).length;

const sessions: FakeCallSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

function fake(options: FakeSessionOptions = {}): FakeCallSession {
  const session = new FakeCallSession({ state: 'idle', withVideo: false, ...options });
  sessions.push(session);
  return session;
}

async function setup(options: FakeSessionOptions = {}, displayName = '', room = '') {
  const session = fake(options);
  const el = await fixture<CallPrejoin>(
    html`<call-prejoin .session=${session} display-name=${displayName} room=${room}></call-prejoin>`,
  );
  return { el, session };
}

/** Types into the name field as the user would: value, then an input event. */
async function typeName(el: CallPrejoin, value: string) {
  input(el).value = value;
  input(el).dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

const lobby = (...names: string[]): RoomLobby => ({
  participants: names.map((name, i) => ({ id: `u${i}`, name })),
});

// Every test starts and ends without a remembered name: it lives in localStorage, shared across test files.
beforeEach(() => localStorage.removeItem(NAME_KEY));
afterEach(() => localStorage.removeItem(NAME_KEY));

describe('<call-prejoin>', () => {
  it('is accessible with a session, a room and a lobby', async () => {
    const { el } = await setup({ lobby: lobby('Grace Hopper') }, 'Ada', 'standup');
    await expect(el).to.be.accessible();
  });

  it('is accessible muted with the camera off and nobody in the room', async () => {
    const { el } = await setup({ localMedia: { micOn: false, cameraOn: false }, lobby: lobby() });
    expect(el.matches(':state(muted)'), 'muted').to.be.true;
    expect(el.matches(':state(camera-off)'), 'camera off').to.be.true;
    await expect(el).to.be.accessible();
  });

  it('has documented defaults and a disabled Join without a session', async () => {
    const el = await fixture<CallPrejoin>(html`<call-prejoin></call-prejoin>`);
    expect(el.room, 'room').to.equal('');
    expect(el.displayName, 'displayName').to.equal('');
    expect(el.session, 'session').to.be.undefined;
    expect(el.strings, 'strings').to.be.undefined;
    expect(input(el).value, 'empty name').to.equal('');
    expect(part(el, 'room'), 'no room line').to.be.null;
    expect(text(el, 'heading'), 'heading').to.equal('Ready to join?');
    expect(text(el, 'join'), 'join label').to.equal('Join now');
    expect(button(el, 'join').disabled, 'nothing to join').to.be.true;
    expect(button(el, 'mic').getAttribute('aria-pressed'), 'mic off without media').to.equal('false');
    expect(el.matches(':state(muted)'), 'no muted state without media').to.be.false;
    await expect(el, 'without a session').to.be.accessible();
  });

  it('reads room and display-name from attributes', async () => {
    const el = await fixture<CallPrejoin>(
      html`<call-prejoin room="standup" display-name="Ada"></call-prejoin>`,
    );
    expect(el.room).to.equal('standup');
    expect(el.displayName).to.equal('Ada');
  });

  it('renders every documented part', async () => {
    const { el } = await setup({ lobby: lobby('Grace Hopper') }, '', 'standup');
    for (const p of [
      'base',
      'preview',
      'mic',
      'camera',
      'meter',
      'panel',
      'heading',
      'room',
      'lobby',
      'name-input',
      'devices',
      'join',
    ])
      expect(part(el, p), `part ${p}`).to.exist;
    expect(part(el, 'base')!.tagName, 'the screen is a form').to.equal('FORM');
    expect(part(el, 'preview')!.tagName, 'preview tile').to.equal('VIDEO-TILE');
    const pickers = [...part(el, 'devices')!.querySelectorAll('device-picker')];
    expect(
      pickers.map((p) => p.getAttribute('kind')),
      'three pickers',
    ).to.deep.equal(['microphone', 'camera', 'speaker']);
  });

  it('falls back to the heading text and takes a slotted heading', async () => {
    const session = fake();
    const el = await fixture<CallPrejoin>(
      html`<call-prejoin .session=${session}><span slot="heading">Standup</span></call-prejoin>`,
    );
    const slot = part(el, 'heading')!.querySelector('slot')!;
    expect(
      slot.assignedElements().map((e) => e.textContent),
      'slotted heading',
    ).to.deep.equal(['Standup']);
    await expect(el).to.be.accessible();
  });

  it('starts the preview once when it gets a session', async () => {
    const { el, session } = await setup();
    expect(session.calls, 'preview started').to.deep.equal(['startPreview()']);
    el.room = 'standup';
    el.displayName = 'Ada';
    session.setMicLevel(0.3);
    await el.updateComplete;
    expect(previews(session, 'startPreview()'), 'still once after re-renders').to.equal(1);
  });

  it('moves the preview to a new session', async () => {
    const { el, session } = await setup();
    const next = fake();
    el.session = next;
    await el.updateComplete;
    expect(session.calls, 'old session stopped').to.deep.equal(['startPreview()', 'stopPreview()']);
    expect(next.calls, 'new session started').to.deep.equal(['startPreview()']);
  });

  it('stops the preview when removed without joining, and leaves no subscriptions', async () => {
    const { el, session } = await setup();
    expect(session.activeSubscriptions, 'subscribed').to.be.greaterThan(0);
    el.remove();
    expect(session.calls, 'started, then stopped').to.deep.equal(['startPreview()', 'stopPreview()']);
    expect(session.activeSubscriptions, 'subscriptions after remove').to.equal(0);
  });

  it('keeps the preview running when removed after a join', async () => {
    const { el, session } = await setup({}, 'Ada');
    button(el, 'join').click();
    await el.updateComplete;
    el.remove();
    expect(session.calls, 'the session owns the camera now').to.deep.equal(['startPreview()', 'join(Ada)']);
  });

  it('prefills the name from display-name', async () => {
    const { el } = await setup({}, 'Ada Lovelace');
    expect(input(el).value).to.equal('Ada Lovelace');
  });

  it('prefills display-name set after connecting, unless the user typed', async () => {
    const { el } = await setup();
    el.displayName = 'Ada';
    await el.updateComplete;
    expect(input(el).value, 'late display-name fills the empty field').to.equal('Ada');
    const { el: other } = await setup();
    await typeName(other, 'x');
    await typeName(other, '');
    other.displayName = 'Ada';
    await other.updateComplete;
    expect(input(other).value, 'a field the user emptied stays empty').to.equal('');
  });

  it('prefers the remembered name over display-name', async () => {
    localStorage.setItem(NAME_KEY, 'Grace Hopper');
    const { el } = await setup({}, 'Ada');
    expect(input(el).value).to.equal('Grace Hopper');
  });

  it('remembers the typed, trimmed name on Join', async () => {
    const { el } = await setup({}, 'Ada');
    await typeName(el, '  Katherine Johnson ');
    button(el, 'join').click();
    expect(localStorage.getItem(NAME_KEY), 'remembered').to.equal('Katherine Johnson');
    const { el: next } = await setup({}, 'Ada');
    expect(input(next).value, 'found filled in next time').to.equal('Katherine Johnson');
  });

  it('asks before joining: a cancelable, composed call-join-request, then session.join()', async () => {
    const { el, session } = await setup();
    await typeName(el, '  Ada Lovelace  ');
    const requested = oneEvent(el, 'call-join-request') as Promise<CallJoinRequestEvent>;
    button(el, 'join').click();
    const event = await requested;
    expect(event.bubbles, 'bubbles').to.be.true;
    expect(event.composed, 'composed').to.be.true;
    expect(event.cancelable, 'cancelable').to.be.true;
    expect(event.detail, 'trimmed name').to.deep.equal({ displayName: 'Ada Lovelace' });
    expect(session.calls, 'joined with the name').to.deep.equal(['startPreview()', 'join(Ada Lovelace)']);
  });

  it('does not join when call-join-request is prevented', async () => {
    const { el, session } = await setup({}, 'Ada');
    el.addEventListener('call-join-request', (e) => e.preventDefault(), { once: true });
    button(el, 'join').click();
    expect(session.calls, 'no join').to.deep.equal(['startPreview()']);
    el.remove();
    expect(session.calls, 'and the preview still closes on remove').to.deep.equal([
      'startPreview()',
      'stopPreview()',
    ]);
  });

  it('joins with join() when the name is empty or blank', async () => {
    const { el, session } = await setup();
    const requested = oneEvent(el, 'call-join-request') as Promise<CallJoinRequestEvent>;
    button(el, 'join').click();
    expect((await requested).detail.displayName, 'empty name').to.equal('');
    expect(session.calls).to.deep.equal(['startPreview()', 'join()']);
    expect(localStorage.getItem(NAME_KEY), 'nothing remembered').to.be.null;
    const { el: blank, session: other } = await setup();
    await typeName(blank, '   ');
    button(blank, 'join').click();
    expect(other.calls, 'blank counts as empty').to.deep.equal(['startPreview()', 'join()']);
  });

  it('fires nothing when the page sets properties', async () => {
    const { el, session } = await setup();
    let fired = 0;
    el.addEventListener('call-join-request', () => fired++);
    el.displayName = 'Ada';
    el.room = 'standup';
    el.strings = { joinNow: 'Go' };
    session.setLocalMedia({ micOn: false });
    await el.updateComplete;
    expect(fired, 'join requests').to.equal(0);
    expect(session.calls, 'no commands besides the preview').to.deep.equal(['startPreview()']);
  });

  it('submits with Enter in the name field', async () => {
    const { el, session } = await setup();
    const requested = oneEvent(el, 'call-join-request') as Promise<CallJoinRequestEvent>;
    input(el).focus();
    await sendKeys({ type: 'Grace' });
    await sendKeys({ press: 'Enter' });
    expect((await requested).detail.displayName, 'typed name').to.equal('Grace');
    expect(session.calls).to.deep.equal(['startPreview()', 'join(Grace)']);
  });

  it('submits through requestSubmit() like any form', async () => {
    const { el, session } = await setup({}, 'Ada');
    form(el).requestSubmit();
    expect(session.calls).to.deep.equal(['startPreview()', 'join(Ada)']);
  });

  it('switches the microphone: aria-pressed follows localMedia$, the command is the opposite', async () => {
    const { el, session } = await setup();
    const mic = button(el, 'mic');
    expect(mic.type, 'not a submit button').to.equal('button');
    expect(mic.textContent!.trim(), 'constant name').to.equal('Microphone');
    expect(mic.getAttribute('aria-pressed'), 'on').to.equal('true');
    expect(el.matches(':state(muted)'), 'not muted').to.be.false;
    mic.click();
    await el.updateComplete;
    expect(session.calls.at(-1), 'command').to.equal('setMicEnabled(false)');
    expect(mic.getAttribute('aria-pressed'), 'off').to.equal('false');
    expect(mic.textContent!.trim(), 'name unchanged').to.equal('Microphone');
    expect(el.matches(':state(muted)'), 'muted').to.be.true;
    mic.click();
    await el.updateComplete;
    expect(session.calls.at(-1), 'back on').to.equal('setMicEnabled(true)');
    expect(el.matches(':state(muted)'), 'not muted again').to.be.false;
    expect(session.calls, 'no join from a switch').to.not.include('join()');
  });

  it('switches the camera and follows changes made elsewhere', async () => {
    const { el, session } = await setup();
    const camera = button(el, 'camera');
    expect(camera.textContent!.trim(), 'constant name').to.equal('Camera');
    expect(camera.getAttribute('aria-pressed'), 'on').to.equal('true');
    camera.click();
    await el.updateComplete;
    expect(session.calls.at(-1), 'command').to.equal('setCameraEnabled(false)');
    expect(camera.getAttribute('aria-pressed'), 'off').to.equal('false');
    expect(el.matches(':state(camera-off)'), 'camera-off state').to.be.true;
    session.setLocalMedia({ cameraOn: true, micOn: false });
    await el.updateComplete;
    expect(camera.getAttribute('aria-pressed'), 'on from the session').to.equal('true');
    expect(button(el, 'mic').getAttribute('aria-pressed'), 'mic off from the session').to.equal('false');
    expect(el.matches(':state(camera-off)'), 'camera-off cleared').to.be.false;
    expect(el.matches(':state(muted)'), 'muted from the session').to.be.true;
    camera.click();
    expect(session.calls.at(-1), 'opposite of the new state').to.equal('setCameraEnabled(false)');
  });

  it('toggles the switches with Space and Enter without submitting', async () => {
    const { el, session } = await setup();
    button(el, 'mic').focus();
    await sendKeys({ press: 'Space' });
    button(el, 'camera').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(session.calls).to.deep.equal([
      'startPreview()',
      'setMicEnabled(false)',
      'setCameraEnabled(false)',
    ]);
  });

  it('shows the preview tile mirrored, with initials named after the typed name when the camera is off', async () => {
    const { el, session } = await setup({ localMedia: { cameraOn: false } }, 'Ada Lovelace');
    const tile = part(el, 'preview') as HTMLElement & { participant?: { name: string; cameraOn: boolean } };
    expect(tile.hasAttribute('mirrored'), 'mirrored').to.be.true;
    expect(tile.participant?.name, 'named after the field').to.equal('Ada Lovelace');
    expect(tile.participant?.cameraOn, 'camera off').to.be.false;
    await typeName(el, '');
    expect(tile.participant?.name, 'a generic name when empty').to.equal('Your camera preview');
    session.setLocalMedia({ cameraOn: true });
    await el.updateComplete;
    expect(tile.participant?.cameraOn, 'camera on').to.be.true;
  });

  it('moves the level meter with setMicLevel (0..100)', async () => {
    const { el, session } = await setup();
    const meter = part(el, 'meter')!;
    expect(meter.getAttribute('role'), 'a meter').to.equal('meter');
    expect(meter.getAttribute('aria-valuemin'), 'min').to.equal('0');
    expect(meter.getAttribute('aria-valuemax'), 'max').to.equal('100');
    expect(meter.getAttribute('aria-valuenow'), 'silent').to.equal('0');
    const labelId = meter.getAttribute('aria-labelledby')!;
    expect(el.shadowRoot!.getElementById(labelId)!.textContent, 'labelled').to.equal('Microphone level');
    for (const [level, expected] of [
      [0.42, '42'],
      [1, '100'],
      [0.006, '1'],
      [0, '0'],
    ] as const) {
      session.setMicLevel(level);
      await el.updateComplete;
      expect(meter.getAttribute('aria-valuenow'), `level ${level}`).to.equal(expected);
    }
  });

  it('says who is in the room', async () => {
    const { el, session } = await setup();
    const status = part(el, 'lobby')!;
    expect(status.getAttribute('role'), 'a polite status').to.equal('status');
    expect(status.textContent, 'unknown: empty').to.equal('');
    expect(getComputedStyle(status).display, 'unknown: hidden').to.equal('none');
    for (const [names, expected] of [
      [[], 'No one else is here yet.'],
      [['Grace Hopper'], 'Grace Hopper is in this call.'],
      [['Grace Hopper', 'Alan Turing'], 'Grace Hopper and Alan Turing are in this call.'],
      [
        ['Grace Hopper', 'Alan Turing', 'Radia Perlman', 'Ken Thompson', 'Frances Allen'],
        'Grace Hopper, Alan Turing and 3 more are in this call.',
      ],
    ] as const) {
      session.setLobby(lobby(...names));
      await el.updateComplete;
      expect(status.textContent, `${names.length} in the room`).to.equal(expected);
      expect(getComputedStyle(status).display, `${names.length}: shown`).to.not.equal('none');
    }
    await expect(el, 'with a lobby').to.be.accessible();
    session.setLobby(undefined);
    await el.updateComplete;
    expect(status.textContent, 'unknown again').to.equal('');
  });

  it('shows the room name when room is set', async () => {
    const { el } = await setup();
    expect(part(el, 'room'), 'no room').to.be.null;
    el.room = 'standup';
    await el.updateComplete;
    expect(text(el, 'room')).to.equal('Room: standup');
    el.setAttribute('room', 'design review');
    await el.updateComplete;
    expect(text(el, 'room'), 'from the attribute').to.equal('Room: design review');
  });

  it('focus() goes to the name field when empty, to Join when filled', async () => {
    const { el } = await setup();
    el.focus();
    expect(el.shadowRoot!.activeElement, 'empty: the name field').to.equal(input(el));
    await typeName(el, 'Ada');
    el.focus();
    expect(el.shadowRoot!.activeElement, 'filled: Join').to.equal(button(el, 'join'));
    const { el: named } = await setup({}, 'Grace');
    named.focus();
    expect(named.shadowRoot!.activeElement, 'prefilled: Join').to.equal(button(named, 'join'));
  });

  it('takes strings overrides', async () => {
    const session = fake({ lobby: lobby('Grace Hopper', 'Alan Turing', 'Ken Thompson') });
    const el = await fixture<CallPrejoin>(
      html`<call-prejoin
        .session=${session}
        room="standup"
        .strings=${{
          readyToJoin: 'All set?',
          joinNow: 'Enter',
          roomName: 'Meeting {0}',
          yourName: 'Name shown to others',
          manyHere: '{0}, {1} +{2}',
          microphone: 'Mic',
        }}
      ></call-prejoin>`,
    );
    expect(text(el, 'heading')).to.equal('All set?');
    expect(text(el, 'join')).to.equal('Enter');
    expect(text(el, 'room')).to.equal('Meeting standup');
    expect(input(el).closest('label')!.textContent!.trim()).to.equal('Name shown to others');
    expect(text(el, 'lobby')).to.equal('Grace Hopper, Alan Turing +1');
    expect(text(el, 'mic')).to.equal('Mic');
    expect(text(el, 'camera'), 'not overridden').to.equal('Camera');
  });

  it('takes the session from a provider', async () => {
    const session = fake({ localMedia: { micOn: false } });
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    new ContextProvider(holder, { context: callSessionContext, initialValue: session }).hostConnected();
    const el = document.createElement('call-prejoin');
    holder.append(el);
    await el.updateComplete;
    expect(button(el, 'mic').getAttribute('aria-pressed'), 'from the provided session').to.equal('false');
    expect(session.calls, 'preview started').to.deep.equal(['startPreview()']);
    el.remove();
    expect(session.calls.at(-1), 'preview stopped').to.equal('stopPreview()');
    expect(session.activeSubscriptions, 'subscriptions after remove').to.equal(0);
  });

  it('reads tokens with literal fallbacks and declares no public ones', () => {
    expectTokenContract(CallPrejoin.styles, styles);
  });
});
