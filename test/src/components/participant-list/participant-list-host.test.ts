import { expect, fixture, html } from '@open-wc/testing';
import '../../../../src/define/participant-list.js';
import type { ParticipantList } from '../../../../src/components/participant-list/participant-list.js';
import { FakeCallSession, type FakeSessionOptions } from '../../../../src/testing/fake-call-session.js';

const root = (el: ParticipantList) => el.shadowRoot!;
const names = (el: ParticipantList) =>
  [...root(el).querySelectorAll('[part~="item"] [part~="name"]')].map((n) => n.textContent!.trim());
const menuButtons = (el: ParticipantList) => [
  ...root(el).querySelectorAll<HTMLButtonElement>('[part~="host-menu-button"]'),
];
const menuOf = (el: ParticipantList, name: string) => {
  const button = menuButtons(el).find((b) => b.getAttribute('aria-label') === `Host options for ${name}`)!;
  return root(el).querySelector<HTMLElement>(`#${button.getAttribute('popovertarget')}`)!;
};
const items = (menu: HTMLElement) => [...menu.querySelectorAll('button')].map((b) => b.textContent!.trim());

const sessions: FakeCallSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

async function setup(options: FakeSessionOptions = {}) {
  const session = new FakeCallSession({ participants: 4, withVideo: false, canModerate: true, ...options });
  sessions.push(session);
  const el = await fixture<ParticipantList>(html`<participant-list .session=${session}></participant-list>`);
  return { el, session };
}

describe('<participant-list> host controls', () => {
  it('gives a host a menu for every other person, and nobody else any', async () => {
    const { el, session } = await setup();
    expect(menuButtons(el).length, 'one per other person').to.equal(3);
    expect(el.matches(':state(host)')).to.be.true;
    await expect(el, 'with host menus').to.be.accessible();
    session.setCanModerate(false);
    await el.updateComplete;
    expect(menuButtons(el).length, 'a guest has none').to.equal(0);
    expect(el.matches(':state(host)')).to.be.false;
  });

  it('offers only what applies to the person now', async () => {
    const { el, session } = await setup({ muted: [1], videoOff: [1], hands: [2], spotlight: 3 });
    await el.updateComplete;
    expect(items(menuOf(el, 'Grace Hopper'))).to.deep.equal([
      'Ask to unmute',
      'Spotlight for everyone',
      'Remove from the call…',
    ]);
    expect(items(menuOf(el, 'Alan Turing'))).to.deep.equal([
      'Mute microphone',
      'Stop camera',
      'Lower hand',
      'Spotlight for everyone',
      'Remove from the call…',
    ]);
    expect(items(menuOf(el, 'Katherine Johnson'))).to.include('Remove spotlight');
    expect(session.calls).to.deep.equal([]);
  });

  it('sends the action for the chosen person and closes the menu', async () => {
    const { el, session } = await setup();
    const button = menuButtons(el)[0]!;
    button.click();
    const menu = menuOf(el, 'Grace Hopper');
    expect(menu.matches(':popover-open'), 'open').to.be.true;
    await new Promise((r) => setTimeout(r, 50));
    expect(root(el).activeElement, 'focus moves into the menu').to.equal(menu.querySelector('button'));
    menu.querySelector('button')!.click();
    expect(session.calls).to.deep.equal(['moderate(mute-mic, p1)']);
    expect(menu.matches(':popover-open'), 'closed').to.be.false;
  });

  it('asks before removing, and removes only on Remove', async () => {
    const { el, session } = await setup();
    const remove = () => [...menuOf(el, 'Alan Turing').querySelectorAll('button')].at(-1)!;
    remove().click();
    await el.updateComplete;
    const dialog = root(el).querySelector<HTMLDialogElement>('[part~="remove-dialog"]')!;
    expect(dialog.open, 'the confirmation shows').to.be.true;
    expect(dialog.textContent).to.contain('Remove Alan Turing from the call?');
    expect(session.calls, 'nothing sent yet').to.deep.equal([]);
    await expect(el, 'with the confirmation').to.be.accessible();
    [...dialog.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Cancel')!.click();
    await el.updateComplete;
    expect(dialog.open, 'cancel closes').to.be.false;
    expect(session.calls).to.deep.equal([]);
    remove().click();
    await el.updateComplete;
    [...dialog.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Remove')!.click();
    await el.updateComplete;
    expect(session.calls).to.deep.equal(['moderate(remove, p2)']);
    expect(dialog.open).to.be.false;
  });

  it('lists raised hands first, in the order they went up', async () => {
    const { el } = await setup({ participants: 5, hands: [4, 2] });
    expect(names(el)).to.deep.equal([
      'Ada Lovelace (you)',
      'Linus Torvalds',
      'Alan Turing',
      'Grace Hopper',
      'Katherine Johnson',
    ]);
  });
});
