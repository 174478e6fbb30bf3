import { ContextProvider } from '@lit/context';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define/participant-list.js';
import { ParticipantList } from '../../../../src/components/participant-list/participant-list.js';
import { styles } from '../../../../src/components/participant-list/participant-list.styles.js';
import { callSessionContext } from '../../../../src/context/call-session-context.js';
import type { CallParticipant } from '../../../../src/core/types.js';
import { FakeCallSession, type FakeSessionOptions } from '../../../../src/testing/fake-call-session.js';
import { expectTokenContract } from '../../../support/token-contract.js';

const root = (el: ParticipantList) => el.shadowRoot!;
const part = (el: ParticipantList, name: string) => root(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const rows = (el: ParticipantList) => [...root(el).querySelectorAll<HTMLElement>('[part~="item"]')];
const names = (el: ParticipantList) =>
  rows(el).map((row) => row.querySelector('[part~="name"]')!.textContent!.trim());
const heading = (el: ParticipantList) => part(el, 'heading')!.textContent!.trim();
/** Whether a part is rendered (booleans keep failure messages from serialising elements). */
const has = (el: ParticipantList, name: string) => part(el, name) !== null;
const filter = (el: ParticipantList) => part(el, 'filter') as HTMLInputElement | null;
const status = (el: ParticipantList) => root(el).querySelector('[role="status"]')!.textContent!.trim();
/** The accessible names of a row's status icons, in order. */
const icons = (row: HTMLElement) =>
  [...row.querySelectorAll('[role="img"]')].map((i) => i.getAttribute('aria-label'));
const row = (el: ParticipantList, name: string) =>
  rows(el).find((r) => r.querySelector('[part~="name"]')!.textContent!.trim() === name)!;

/** `count` people with unique names: the fake session's names, numbered after the first dozen. */
function people(
  session: FakeCallSession,
  count: number,
  patch: (i: number) => Partial<CallParticipant> = () => ({}),
) {
  const base = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Torvalds'];
  return Array.from({ length: count }, (_, i) =>
    session.makeParticipant({
      id: i === 0 ? 'local' : `p${i}`,
      name: i < base.length ? base[i] : `Person ${i}`,
      isLocal: i === 0,
      ...patch(i),
    }),
  );
}

const sessions: FakeCallSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

async function setup(options: FakeSessionOptions = {}) {
  const session = new FakeCallSession({ participants: 4, withVideo: false, ...options });
  sessions.push(session);
  const el = await fixture<ParticipantList>(html`<participant-list .session=${session}></participant-list>`);
  return { el, session };
}

async function type(el: ParticipantList, text: string) {
  filter(el)!.focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

describe('<participant-list>', () => {
  it('is accessible: a section named by its heading, and a list', async () => {
    const { el } = await setup();
    const base = part(el, 'base')!;
    expect(base.localName, 'a section').to.equal('section');
    expect(base.getAttribute('aria-labelledby'), 'labelled by the heading').to.equal(part(el, 'heading')!.id);
    expect(part(el, 'heading')!.localName, 'a real heading').to.match(/^h[1-6]$/);
    expect(part(el, 'list')!.localName, 'a ul').to.equal('ul');
    expect(part(el, 'list')!.getAttribute('role'), 'role=list survives list-style: none').to.equal('list');
    expect(
      rows(el).every((r) => r.localName === 'li'),
      'rows are list items',
    ).to.be.true;
    await expect(el).to.be.accessible();
  });

  it('shows the number of people in the heading', async () => {
    const { el } = await setup();
    expect(heading(el)).to.equal('People (4)');
    expect(rows(el).length, 'one row each').to.equal(4);
  });

  it('is empty without a session', async () => {
    const el = await fixture<ParticipantList>(html`<participant-list></participant-list>`);
    expect(heading(el)).to.equal('People (0)');
    expect(rows(el).length).to.equal(0);
    expect(part(el, 'list')!.hidden, 'empty list hidden').to.be.true;
    expect(el.matches(':state(empty)'), 'empty state').to.be.true;
    expect(el.session, 'no session by default').to.be.undefined;
    expect(el.strings, 'no string overrides by default').to.be.undefined;
    await expect(el, 'empty').to.be.accessible();
  });

  it('marks the local participant with "(you)"', async () => {
    const { el } = await setup();
    expect(names(el)).to.deep.equal([
      'Ada Lovelace (you)',
      'Grace Hopper',
      'Alan Turing',
      'Katherine Johnson',
    ]);
  });

  it('orders the local participant first, then raised hands in order, then the rest in session order', async () => {
    const { el, session } = await setup();
    const list = people(session, 5, (i) => ({ handRaised: i === 2 || i === 4 }));
    // The session puts the local participant last here: the list still shows them first.
    session.setParticipants([list[1], list[2], list[3], list[4], list[0]]);
    await el.updateComplete;
    expect(names(el)).to.deep.equal([
      'Ada Lovelace (you)',
      'Alan Turing',
      'Linus Torvalds',
      'Grace Hopper',
      'Katherine Johnson',
    ]);
    session.updateParticipant('local', { handRaised: true });
    session.updateParticipant('p2', { handRaised: false });
    await el.updateComplete;
    expect(names(el), 'local stays first with a hand up; a lowered hand goes back in order').to.deep.equal([
      'Ada Lovelace (you)',
      'Linus Torvalds',
      'Grace Hopper',
      'Alan Turing',
      'Katherine Johnson',
    ]);
  });

  it('shows labelled icons for each state, not colour alone', async () => {
    const { el, session } = await setup({ muted: [1], videoOff: [2], screen: [3], speaking: [0] });
    session.updateParticipant('p1', { handRaised: true });
    await el.updateComplete;
    expect(icons(row(el, 'Ada Lovelace (you)')), 'speaking').to.deep.equal(['Speaking']);
    expect(icons(row(el, 'Grace Hopper')), 'hand raised and muted').to.deep.equal([
      'Hand raised',
      'Microphone off',
    ]);
    expect(icons(row(el, 'Alan Turing')), 'camera off').to.deep.equal(['Camera off']);
    expect(icons(row(el, 'Katherine Johnson')), 'presenting has a text label, not an icon').to.deep.equal([]);
    const presenting = row(el, 'Katherine Johnson').querySelector('[part~="presenting"]')!;
    expect(presenting.textContent!.trim(), 'presenting label').to.equal('Presenting');
    for (const r of rows(el))
      for (const img of r.querySelectorAll('[role="img"]'))
        expect(img.querySelector('svg')!.getAttribute('aria-hidden'), 'the svg itself is hidden').to.equal(
          'true',
        );
    expect(el.matches(':state(hands-raised)'), 'hands-raised state').to.be.true;
    await expect(el, 'every state at once').to.be.accessible();
  });

  it('shows no indicators for someone with everything on and quiet', async () => {
    const { el } = await setup();
    const grace = row(el, 'Grace Hopper');
    expect(icons(grace)).to.deep.equal([]);
    expect(grace.querySelector('[part~="presenting"]') === null, 'no presenting label').to.be.true;
    expect(el.matches(':state(hands-raised)')).to.be.false;
  });

  it('shows speaking only with the microphone on, as the tiles do', async () => {
    const { el, session } = await setup({ speaking: [1] });
    expect(icons(row(el, 'Grace Hopper'))).to.deep.equal(['Speaking']);
    expect(row(el, 'Grace Hopper').classList.contains('talking'), 'avatar ring').to.be.true;
    session.updateParticipant('p1', { micOn: false });
    await el.updateComplete;
    expect(icons(row(el, 'Grace Hopper'))).to.deep.equal(['Microphone off']);
  });

  it('shows initials avatars hidden from assistive technology, with a hue per person', async () => {
    const { el } = await setup();
    const avatars = rows(el).map((r) => r.querySelector<HTMLElement>('[part~="avatar"]')!);
    expect(avatars.map((a) => a.textContent!.trim())).to.deep.equal(['AL', 'GH', 'AT', 'KJ']);
    expect(
      avatars.every((a) => a.getAttribute('aria-hidden') === 'true'),
      'aria-hidden',
    ).to.be.true;
    expect(avatars[0].style.getPropertyValue('--_hue'), 'hue set through CSSOM').to.match(/^\d+$/);
  });

  it('has no Tab stops below eight people', async () => {
    const { el } = await setup();
    const focusable = root(el).querySelectorAll('button, input, select, textarea, a[href], [tabindex]');
    expect(focusable.length, 'nothing focusable').to.equal(0);
  });

  it('updates live as people join, leave and change', async () => {
    const { el, session } = await setup({ participants: 2 });
    expect(heading(el)).to.equal('People (2)');
    session.setParticipants(people(session, 3));
    await el.updateComplete;
    expect(heading(el), 'after a join').to.equal('People (3)');
    expect(names(el)).to.deep.equal(['Ada Lovelace (you)', 'Grace Hopper', 'Alan Turing']);
    session.updateParticipant('p2', { micOn: false, name: 'Alan M. Turing' });
    await el.updateComplete;
    expect(icons(row(el, 'Alan M. Turing')), 'muted after the update').to.deep.equal(['Microphone off']);
    session.setParticipants(people(session, 3).slice(0, 1));
    await el.updateComplete;
    expect(heading(el), 'after leaves').to.equal('People (1)');
    expect(names(el)).to.deep.equal(['Ada Lovelace (you)']);
  });

  it('shows the search field only above eight people', async () => {
    const { el, session } = await setup({ participants: 8 });
    expect(has(el, 'filter'), 'no field with eight').to.be.false;
    expect(el.matches(':state(searchable)')).to.be.false;
    session.setParticipants(people(session, 9));
    await el.updateComplete;
    expect(has(el, 'filter'), 'field with nine').to.be.true;
    const input = filter(el)!;
    expect(input.labels?.[0]?.textContent?.trim(), 'labelled').to.equal('Search people');
    expect(el.matches(':state(searchable)')).to.be.true;
    await expect(el, 'with the search field').to.be.accessible();
  });

  it('filters by name, case-insensitively, and says how many match', async () => {
    const { el, session } = await setup();
    session.setParticipants(people(session, 20));
    await el.updateComplete;
    await type(el, 'gRACE');
    expect(names(el)).to.deep.equal(['Grace Hopper']);
    expect(heading(el), 'the heading still counts everyone').to.equal('People (20)');
    expect(status(el), 'announced politely').to.equal('1 of 20 people shown');
    expect(el.matches(':state(filtered)')).to.be.true;
    await sendKeys({ press: 'Control+a' });
    await type(el, 'PERSON 1');
    expect(names(el), 'Person 10 to 19').to.have.length(10);
    expect(names(el)[0]).to.equal('Person 10');
    await expect(el, 'filtered').to.be.accessible();
    session.updateParticipant('p19', { name: 'Zoë Ångström' });
    await sendKeys({ press: 'Control+a' });
    await type(el, 'zoe angs');
    expect(names(el), 'accents ignored').to.deep.equal(['Zoë Ångström']);
  });

  it('says so when the search matches no one, and shows everyone again when cleared', async () => {
    const { el, session } = await setup();
    session.setParticipants(people(session, 12));
    await el.updateComplete;
    await type(el, 'zzz');
    expect(rows(el).length).to.equal(0);
    expect(part(el, 'list')!.hidden, 'empty list hidden').to.be.true;
    expect(part(el, 'empty')!.textContent!.trim()).to.equal('No one matches “zzz”.');
    expect(status(el)).to.equal('0 of 12 people shown');
    await expect(el, 'no match').to.be.accessible();
    const input = filter(el)!;
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(rows(el).length, 'everyone again').to.equal(12);
    expect(has(el, 'empty'), 'no empty text').to.be.false;
    expect(status(el)).to.equal('');
    expect(el.matches(':state(filtered)')).to.be.false;
  });

  it('keeps filtering while people change, and drops the search when the field goes away', async () => {
    const { el, session } = await setup();
    const list = people(session, 10);
    session.setParticipants(list);
    await el.updateComplete;
    await type(el, 'person');
    expect(names(el)).to.have.length(5);
    session.setParticipants([...list, session.makeParticipant({ id: 'p10', name: 'Person 10' })]);
    await el.updateComplete;
    expect(names(el), 'a newcomer who matches shows').to.include('Person 10');
    session.setParticipants(list.slice(0, 6));
    await el.updateComplete;
    expect(has(el, 'filter'), 'field gone with six').to.be.false;
    expect(rows(el).length, 'nobody hidden by an invisible search').to.equal(6);
    session.setParticipants(list);
    await el.updateComplete;
    expect(filter(el)!.value, 'the field comes back empty').to.equal('');
    expect(rows(el).length).to.equal(10);
  });

  it('takes string overrides with {0} replacement', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false, muted: [1] });
    sessions.push(session);
    const el = await fixture<ParticipantList>(
      html`<participant-list
        .session=${session}
        .strings=${{ people: 'Leute ({0})', you: '{0} (du)', micOff: 'Mikrofon aus' }}
      ></participant-list>`,
    );
    expect(heading(el)).to.equal('Leute (2)');
    expect(names(el)).to.deep.equal(['Ada Lovelace (du)', 'Grace Hopper']);
    expect(icons(row(el, 'Grace Hopper'))).to.deep.equal(['Mikrofon aus']);
  });

  it('renders every documented part', async () => {
    const { el, session } = await setup();
    const list = people(session, 10, (i) => ({
      handRaised: i === 1,
      screenOn: i === 2,
      speaking: i === 3,
      micOn: i !== 4,
      cameraOn: i !== 5,
    }));
    session.setParticipants(list);
    await el.updateComplete;
    for (const p of [
      'base',
      'heading',
      'filter',
      'list',
      'item',
      'avatar',
      'name',
      'status',
      'hand-icon',
      'presenting',
      'speaking-icon',
      'muted-icon',
      'camera-off-icon',
    ])
      expect(has(el, p), `part ${p}`).to.be.true;
    await type(el, 'nobody');
    expect(has(el, 'empty'), 'part empty').to.be.true;
  });

  it('takes the session from a provider and ends every subscription on removal', async () => {
    const session = new FakeCallSession({ participants: 3, withVideo: false });
    sessions.push(session);
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    new ContextProvider(holder, { context: callSessionContext, initialValue: session }).hostConnected();
    const el = document.createElement('participant-list');
    holder.append(el);
    await el.updateComplete;
    expect(heading(el), 'from the provided session').to.equal('People (3)');
    // participants$, and canModerate$ for the host menus.
    expect(session.activeSubscriptions, 'subscribed').to.equal(2);
    el.remove();
    expect(session.activeSubscriptions, 'subscriptions after remove').to.equal(0);
  });

  it('reads tokens with literal fallbacks and declares no public ones', () => {
    expectTokenContract(ParticipantList.styles, styles);
  });
});
