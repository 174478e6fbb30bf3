import { ContextProvider } from '@lit/context';
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../../../src/define/stats-badge.js';
import { StatsBadge } from '../../../../src/components/stats-badge/stats-badge.js';
import { styles } from '../../../../src/components/stats-badge/stats-badge.styles.js';
import { callSessionContext } from '../../../../src/context/call-session-context.js';
import type { TrackStats } from '../../../../src/core/types.js';
import type { CallQualityChangeEvent } from '../../../../src/events/call-quality-change.js';
import { FakeCallSession } from '../../../../src/testing/fake-call-session.js';
import { expectTokenContract } from '../../../support/token-contract.js';

const GOOD: TrackStats = {
  packetLossPercent: 0.4,
  jitterMs: 6,
  roundTripTimeMs: 40,
  bitrateKbps: 1250,
  framesPerSecond: 29.97,
  width: 1280,
  height: 720,
  codec: 'video/VP8',
};
const FAIR: TrackStats = { ...GOOD, packetLossPercent: 2.5 };
const POOR: TrackStats = { ...GOOD, packetLossPercent: 9, jitterMs: 140 };

const part = (el: StatsBadge, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const trigger = (el: StatsBadge) => part(el, 'trigger') as HTMLButtonElement;
const details = (el: StatsBadge) => part(el, 'details')!;
const status = (el: StatsBadge) => el.shadowRoot!.querySelector('[role="status"]')!;
const cells = (el: StatsBadge) =>
  Object.fromEntries(
    [...el.shadowRoot!.querySelectorAll('tr')].map((tr) => [
      tr.querySelector('th')!.textContent!.trim(),
      tr.querySelector('td')!.textContent!.trim(),
    ]),
  );

async function setup(stats: TrackStats = GOOD, attrs = html``) {
  const session = new FakeCallSession({ participants: 2, withVideo: false, stats });
  const el = await fixture<StatsBadge>(
    html`<stats-badge participant-id="p1" .session=${session}>${attrs}</stats-badge>`,
  );
  return { el, session };
}

function collect(el: HTMLElement): CallQualityChangeEvent[] {
  const events: CallQualityChangeEvent[] = [];
  el.addEventListener('call-quality-change', (e) => events.push(e));
  return events;
}

describe('<stats-badge>', () => {
  const interval = StatsBadge.announceIntervalMs;
  afterEach(async () => {
    StatsBadge.announceIntervalMs = interval;
    await resetMouse();
  });

  it('is accessible in every level, collapsed and expanded', async () => {
    const { el, session } = await setup();
    for (const [level, stats] of [
      ['good', GOOD],
      ['fair', FAIR],
      ['poor', POOR],
      ['unknown', {}],
    ] as const) {
      session.setStats(stats);
      await el.updateComplete;
      expect(el.level, 'level').to.equal(level);
      expect(el.matches(`:state(${level})`), `state ${level}`).to.be.true;
      expect(trigger(el).textContent, 'name says the level').to.contain(
        level === 'unknown' ? 'not measured yet' : `Connection: ${level}`,
      );
      await expect(el, `${level}, collapsed`).to.be.accessible();
      el.expanded = true;
      await el.updateComplete;
      await expect(el, `${level}, expanded`).to.be.accessible();
      el.expanded = false;
      await el.updateComplete;
    }
  });

  it('has documented defaults', async () => {
    const el = await fixture<StatsBadge>(html`<stats-badge></stats-badge>`);
    expect(el.kind).to.equal('video');
    expect(el.source).to.equal('camera');
    expect(el.expanded).to.be.false;
    expect(el.hidden).to.be.false;
    expect(el.withoutAnnouncements).to.be.false;
    expect(el.participantId).to.equal('');
    expect(el.level, 'unknown without a session').to.equal('unknown');
    expect(el.matches(':state(unknown)')).to.be.true;
    expect(el.stats).to.be.undefined;
    expect(details(el).hidden, 'collapsed').to.be.true;
  });

  it('reflects kind, source, expanded, hidden and without-announcements', async () => {
    const { el } = await setup();
    el.kind = 'audio';
    el.source = 'screen';
    el.expanded = true;
    el.hidden = true;
    el.withoutAnnouncements = true;
    await el.updateComplete;
    for (const [attr, value] of [
      ['kind', 'audio'],
      ['source', 'screen'],
      ['expanded', ''],
      ['hidden', ''],
      ['without-announcements', ''],
    ])
      expect(el.getAttribute(attr), attr).to.equal(value);
    el.setAttribute('participant-id', 'p2');
    el.removeAttribute('hidden');
    await el.updateComplete;
    expect(el.participantId).to.equal('p2');
    expect(el.hidden).to.be.false;
  });

  it('renders every documented part and the default slot', async () => {
    const { el } = await setup(GOOD, html`<span>Network</span>`);
    el.expanded = true;
    await el.updateComplete;
    for (const name of ['base', 'trigger', 'bars', 'details', 'table'])
      expect(part(el, name), `part ${name}`).to.exist;
    const slot = el.shadowRoot!.querySelector('slot:not([name])') as HTMLSlotElement;
    expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal(['Network']);
    expect(trigger(el).contains(slot), 'the label is inside the button').to.be.true;
  });

  it('builds its details table only while open: a call of many tiles formats no numbers until asked', async () => {
    const { el, session } = await setup();
    expect(el.shadowRoot!.querySelector('table'), 'collapsed').to.be.null;
    session.setStats(FAIR);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('table'), 'new samples add no table').to.be.null;
    el.expanded = true;
    await el.updateComplete;
    expect(cells(el)['Packet loss'], 'the latest sample, once open').to.equal('2.5%');
  });

  it('shows localized numbers for every metric', async () => {
    const { el } = await setup();
    el.expanded = true;
    await el.updateComplete;
    expect(cells(el)).to.deep.equal({
      'Packet loss': '0.4%',
      Jitter: '6 ms',
      'Round trip': '40 ms',
      Bitrate: '1.3 Mb/s',
      'Frame rate': '30 fps',
      Resolution: '1280 × 720',
      Codec: 'VP8',
    });
    const holder = await fixture<HTMLDivElement>(html`<div lang="de"></div>`);
    holder.append(el);
    await el.updateComplete;
    expect(cells(el)['Packet loss'], 'German decimal comma').to.match(/^0,4\s?%$/);
    el.kind = 'audio';
    await el.updateComplete;
    expect(Object.keys(cells(el)), 'no frame rate or resolution for audio').to.deep.equal([
      'Packet loss',
      'Jitter',
      'Round trip',
      'Bitrate',
      'Codec',
    ]);
  });

  it('fires call-quality-change once per change, never per sample nor for the first one', async () => {
    const { el, session } = await setup();
    const events = collect(el);
    expect(el.level, 'first measurement').to.equal('good');
    for (let i = 0; i < 5; i++) session.setStats({ ...GOOD, jitterMs: 5 + i });
    expect(events, 'same level, five samples').to.have.length(0);
    session.setStats(POOR);
    session.setStats({ ...POOR, jitterMs: 150 });
    session.setStats({ ...POOR, jitterMs: 160 });
    expect(events, 'one change to poor').to.have.length(1);
    const [event] = events;
    expect(event.detail.level).to.equal('poor');
    expect(event.detail.previous).to.equal('good');
    expect(event.detail.participant).to.equal('p1');
    expect(event.detail.stats).to.deep.equal(POOR);
    expect(event.bubbles && event.composed, 'bubbles and composed').to.be.true;
    session.setStats(FAIR);
    session.setStats({});
    session.setStats(FAIR);
    expect(
      events.map((e) => `${e.detail.previous}→${e.detail.level}`),
      'unknown samples are no change',
    ).to.deep.equal(['good→poor', 'poor→fair']);
  });

  it('re-grades silently when the page sets thresholds or another track', async () => {
    const { el, session } = await setup(FAIR);
    const events = collect(el);
    el.thresholds = { ...el.thresholds, loss: { fair: 3, poor: 10 } };
    await el.updateComplete;
    expect(el.level, 'good under the new limits').to.equal('good');
    expect(el.matches(':state(good)')).to.be.true;
    session.setStats(FAIR);
    el.participantId = 'p2';
    el.thresholds = { ...el.thresholds, loss: { fair: 1, poor: 2 } };
    await el.updateComplete;
    expect(el.level).to.equal('poor');
    expect(events, 'no events for programmatic sets').to.have.length(0);
  });

  it('stops sampling while hidden or while the page is hidden, and on disconnect', async () => {
    const { el, session } = await setup();
    expect(session.activeSubscriptions, 'sampling').to.equal(1);
    el.hidden = true;
    await el.updateComplete;
    expect(session.activeSubscriptions, 'hidden attribute').to.equal(0);
    el.hidden = false;
    await el.updateComplete;
    expect(session.activeSubscriptions, 'shown again').to.equal(1);

    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      await el.updateComplete;
      expect(session.activeSubscriptions, 'page hidden').to.equal(0);
    } finally {
      delete (document as unknown as Record<string, unknown>).visibilityState;
    }
    document.dispatchEvent(new Event('visibilitychange'));
    await el.updateComplete;
    expect(session.activeSubscriptions, 'page visible').to.equal(1);

    el.remove();
    expect(session.activeSubscriptions, 'subscriptions after remove').to.equal(0);
    document.dispatchEvent(new Event('visibilitychange'));
    await el.updateComplete;
    expect(session.activeSubscriptions, 'no listener resubscribes a removed badge').to.equal(0);
  });

  it('reports a change that happened while paused when sampling resumes', async () => {
    const { el, session } = await setup();
    const events = collect(el);
    el.hidden = true;
    await el.updateComplete;
    session.setStats(POOR);
    expect(events, 'nothing while hidden').to.have.length(0);
    el.hidden = false;
    await el.updateComplete;
    expect(events.map((e) => e.detail.level)).to.deep.equal(['poor']);
  });

  it('opens on focus, closes with Escape, and pins open with Enter', async () => {
    const { el } = await setup();
    trigger(el).focus();
    await el.updateComplete;
    expect(details(el).hidden, 'open on focus').to.be.false;
    expect(trigger(el).getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(details(el).hidden, 'Escape closes').to.be.true;
    expect(trigger(el).getAttribute('aria-expanded')).to.equal('false');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.expanded, 'Enter pins it open').to.be.true;
    expect(details(el).hidden).to.be.false;
    trigger(el).blur();
    await el.updateComplete;
    expect(details(el).hidden, 'stays open when expanded').to.be.false;
    await sendKeys({ press: 'Tab' });
    trigger(el).focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.expanded, 'Space collapses').to.be.false;
  });

  it('opens on hover, and the details stay open while hovered', async () => {
    const { el } = await setup();
    const box = trigger(el).getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + 4), Math.round(box.y + 4)] });
    await el.updateComplete;
    expect(details(el).hidden, 'open on hover').to.be.false;
    const pop = details(el).getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(pop.x + 8), Math.round(pop.y + 8)] });
    await el.updateComplete;
    expect(details(el).hidden, 'hoverable details').to.be.false;
    await sendMouse({ type: 'move', position: [600, 600] });
    await el.updateComplete;
    expect(details(el).hidden, 'closed when the pointer leaves').to.be.true;
  });

  it('shows its details whole inside a clipping ancestor, next to the button', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false, stats: GOOD });
    const clip = await fixture<HTMLDivElement>(
      html`<div style="overflow: hidden; width: 80px; height: 32px; margin: 40px">
        <stats-badge participant-id="p1" expanded .session=${session}></stats-badge>
      </div>`,
    );
    const el = clip.querySelector<StatsBadge>('stats-badge')!;
    await el.updateComplete;
    const box = details(el).getBoundingClientRect();
    const button = trigger(el).getBoundingClientRect();
    expect(box.height, 'taller than the clip').to.be.greaterThan(clip.clientHeight);
    expect(box.top - button.bottom, 'just below the button').to.be.within(0, 8);
    expect(box.left).to.be.closeTo(button.left, 1);
    // Not clipped: the bottom-right corner of the table, far outside the clip, still hits the details.
    const hit = el.shadowRoot!.elementFromPoint(box.right - 4, box.bottom - 4);
    expect(hit && details(el).contains(hit), 'hit-tests inside the details').to.be.true;
    el.expanded = false;
    await el.updateComplete;
    expect(details(el).matches(':popover-open'), 'closed with the badge').to.be.false;
  });

  it('announces transitions politely and throttled, not samples', async () => {
    StatsBadge.announceIntervalMs = 300;
    const { el, session } = await setup();
    expect(status(el).textContent!.trim(), 'no announcement for the first measurement').to.equal('');
    expect(part(el, 'base')!.getAttribute('aria-live'), 'the badge itself is not live').to.be.null;
    session.setStats(POOR);
    await el.updateComplete;
    expect(status(el).textContent!.trim(), 'first change at once').to.equal('Connection: poor');
    session.setStats(FAIR);
    session.setStats(GOOD);
    await el.updateComplete;
    expect(status(el).textContent!.trim(), 'throttled').to.equal('Connection: poor');
    await waitUntil(() => status(el).textContent!.trim() === 'Connection: good', 'latest level later', {
      timeout: 2000,
    });
    el.withoutAnnouncements = true;
    await aTimeout(350);
    session.setStats(POOR);
    await el.updateComplete;
    expect(status(el).textContent!.trim(), 'silenced').to.equal('Connection: good');
  });

  it('takes the session from a provider and samples the named track', async () => {
    const session = new FakeCallSession({ withVideo: false, stats: POOR });
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    new ContextProvider(holder, { context: callSessionContext, initialValue: session }).hostConnected();
    const el = document.createElement('stats-badge');
    el.participantId = 'local';
    el.kind = 'audio';
    holder.append(el);
    await el.updateComplete;
    expect(el.level).to.equal('poor');
    el.remove();
    expect(session.activeSubscriptions).to.equal(0);
  });

  it('reads tokens with literal fallbacks and declares no public ones', () => {
    expectTokenContract(StatsBadge.styles, styles);
  });
});
