import { expect, fixture, html } from '@open-wc/testing';
import '../../../../src/define/breakout-panel.js';
import '../../../../src/define/breakout-banner.js';
import type { BreakoutBanner } from '../../../../src/components/breakout-banner/breakout-banner.js';
import type { BreakoutPanel } from '../../../../src/components/breakout-panel/breakout-panel.js';
import type { BreakoutView } from '../../../../src/core/breakout-types.js';
import { FakeBreakouts } from '../../../../src/testing/fake-breakouts.js';
import { FakeCallSession } from '../../../../src/testing/fake-call-session.js';

const rooms = [
  { id: 'room-1', name: 'Red' },
  { id: 'room-2', name: 'Blue' },
];
const person = (id: string, assigned: string, current = 'main', canModerate = false) => ({
  id,
  name: id.toUpperCase(),
  canModerate,
  assigned,
  current,
});
const view = (patch: Partial<BreakoutView> = {}): BreakoutView => ({
  phase: 'closed',
  rooms,
  people: [person('host', 'main', 'main', true), person('ann', 'room-1'), person('ben', 'room-2')],
  allowReturn: false,
  current: { id: 'main', name: 'Main room' },
  assigned: { id: 'main', name: 'Main room' },
  isHost: true,
  ...patch,
});

function sessionWith(breakouts: FakeBreakouts): FakeCallSession {
  const session = new FakeCallSession({ withVideo: false });
  session.breakouts = breakouts;
  return session;
}

const button = (el: HTMLElement, text: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => b.textContent!.trim() === text,
  );

describe('<breakout-panel>', () => {
  it('renders nothing for a participant who is not a host', async () => {
    const breakouts = new FakeBreakouts({ isHost: false, view: view({ isHost: false }) });
    const el = await fixture<BreakoutPanel>(
      html`<breakout-panel .session=${sessionWith(breakouts)}></breakout-panel>`,
    );
    expect(el.shadowRoot!.querySelector('[part~="base"]')).to.equal(null);
    expect(el.matches(':state(host)')).to.equal(false);
  });

  it('lets a host create N rooms, then assign, shuffle and open them', async () => {
    const breakouts = new FakeBreakouts({ isHost: true });
    const el = await fixture<BreakoutPanel>(
      html`<breakout-panel .session=${sessionWith(breakouts)}></breakout-panel>`,
    );
    expect(el.matches(':state(host)')).to.equal(true);
    const count = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="number"]')!;
    count.value = '3';
    count.dispatchEvent(new Event('input'));
    await el.updateComplete;
    button(el, 'Create rooms')!.click();
    expect(breakouts.calls).to.deep.equal(['create(Room 1|Room 2|Room 3, false)']);

    breakouts.setView(view());
    await el.updateComplete;
    const pickers = [...el.shadowRoot!.querySelectorAll<HTMLSelectElement>('[part~="assign"]')];
    expect(pickers.map((p) => p.getAttribute('aria-label'))).to.deep.equal(['Room for ANN', 'Room for BEN']);
    pickers[0]!.value = 'room-2';
    pickers[0]!.dispatchEvent(new Event('change'));
    button(el, 'Shuffle evenly')!.click();
    button(el, 'Open rooms')!.click();
    expect(breakouts.calls.slice(1)).to.deep.equal(['assign(ann, room-2)', 'shuffle()', 'open(0)']);
    await expect(el).to.be.accessible();
  });

  it('closes open rooms, sends a message to all rooms, and lists calls for help', async () => {
    const breakouts = new FakeBreakouts({ isHost: true, view: view({ phase: 'open' }) });
    const el = await fixture<BreakoutPanel>(
      html`<breakout-panel .session=${sessionWith(breakouts)}></breakout-panel>`,
    );
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('[part~="message"] input')!;
    input.value = 'Two minutes left';
    el.shadowRoot!.querySelector<HTMLFormElement>('[part~="message"]')!.requestSubmit();
    breakouts.notify({ kind: 'help', from: { id: 'ben', name: 'BEN' }, room: rooms[1]!, at: Date.now() });
    await el.updateComplete;
    expect(el.matches(':state(help-requested)')).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part~="help"]')!.textContent).to.contain(
      'BEN asks for help in Blue',
    );
    button(el, 'Go to Blue')!.click();
    button(el, 'Close rooms')!.click();
    expect(breakouts.calls).to.deep.equal(['broadcast(Two minutes left)', 'assign(host, room-2)', 'close()']);
    await expect(el).to.be.accessible();
  });
});

describe('<breakout-banner>', () => {
  it('is empty in the main room with nothing to say', async () => {
    const breakouts = new FakeBreakouts({ view: view({ isHost: false }) });
    const el = await fixture<BreakoutBanner>(
      html`<breakout-banner .session=${sessionWith(breakouts)}></breakout-banner>`,
    );
    expect(el.shadowRoot!.querySelector('[part~="base"]')).to.equal(null);
  });

  it('shows where you are going with Join now, then where you are with help and back', async () => {
    const breakouts = new FakeBreakouts({
      view: view({
        phase: 'opening',
        countdownEndsAt: Date.now() + 5000,
        assigned: rooms[0]!,
        isHost: false,
      }),
    });
    const el = await fixture<BreakoutBanner>(
      html`<breakout-banner .session=${sessionWith(breakouts)}></breakout-banner>`,
    );
    expect(el.matches(':state(going)')).to.equal(true);
    expect(el.shadowRoot!.textContent).to.match(/You are going to Red in [45] s/);
    button(el, 'Join now')!.click();
    expect(breakouts.calls).to.deep.equal(['joinNow()']);
    await expect(el).to.be.accessible();

    breakouts.setView(view({ phase: 'open', current: rooms[0]!, assigned: rooms[0]!, isHost: false }));
    await el.updateComplete;
    expect(el.matches(':state(in-breakout)')).to.equal(true);
    expect(button(el, 'Back to main room'), 'not allowed by the host').to.equal(undefined);
    button(el, 'Ask for help')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('The hosts know you need help.');
    breakouts.setView(
      view({ phase: 'open', current: rooms[0]!, assigned: rooms[0]!, isHost: false, allowReturn: true }),
    );
    await el.updateComplete;
    button(el, 'Back to main room')!.click();
    expect(breakouts.calls.slice(1)).to.deep.equal(['askForHelp()', 'returnToMain()']);
    await expect(el).to.be.accessible();
  });
});
