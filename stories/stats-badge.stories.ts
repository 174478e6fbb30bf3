import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/stats-badge.js';
import '../src/define/video-tile.js';
import type { StatsBadge } from '../src/components/stats-badge/stats-badge.js';
import type { CallParticipant, TrackStats } from '../src/core/types.js';
import { defaultQualityThresholds } from '../src/core/quality.js';
import { FakeCallSession } from '../src/testing/fake-call-session.js';
import { fakeSession, stage as padded } from './support/fake-sessions.js';

const { args, argTypes, template } = getStorybookHelpers<StatsBadge>('stats-badge');

const GOOD: TrackStats = {
  packetLossPercent: 0.2,
  jitterMs: 8,
  roundTripTimeMs: 42,
  bitrateKbps: 1450,
  framesPerSecond: 30,
  width: 1280,
  height: 720,
  codec: 'video/VP8',
};
const FAIR: TrackStats = {
  ...GOOD,
  packetLossPercent: 3.2,
  jitterMs: 44,
  bitrateKbps: 620,
  width: 640,
  height: 360,
};
const POOR: TrackStats = {
  ...GOOD,
  packetLossPercent: 9.5,
  jitterMs: 130,
  roundTripTimeMs: 480,
  bitrateKbps: 180,
  framesPerSecond: 9,
  width: 320,
  height: 180,
};

const badgeSession = (name: string, stats: TrackStats, withVideo = false) =>
  fakeSession(`badge-${name}`, { participants: 2, withVideo, stats });

const badge = (name: string, stats: TrackStats, expanded = false) =>
  html`<stats-badge
    participant-id="p1"
    ?expanded=${expanded}
    .session=${badgeSession(name, stats)}
  ></stats-badge>`;

/** Room below each badge for its details. */
const stage = (content: unknown) => padded(content, '16px', '250px');

/** Network quality of one participant's track: bars that open into the numbers. */
const meta: Meta<StatsBadge> = {
  title: 'Elements/stats-badge',
  component: 'stats-badge',
  // The manifest's default for thresholds is the constant's name; give the control the real object.
  args: { ...args, 'participant-id': 'p1', thresholds: defaultQualityThresholds } as Meta<StatsBadge>['args'],
  argTypes,
  render: (storyArgs) => stage(template({ ...storyArgs, session: badgeSession('playground', FAIR) })),
};
export default meta;
type Story = StoryObj<StatsBadge>;

/** Every attribute as a control, on fair stats; hover or focus the badge to see the numbers. */
export const Playground: Story = {};

/** Good, fair and poor side by side, collapsed; the bars say the level by count as well as colour. */
export const States: Story = {
  render: () =>
    html`<div style="display:flex;gap:24px;padding:16px;min-height:250px;align-items:start">
      ${badge('good', GOOD)} ${badge('fair', FAIR)} ${badge('poor', POOR)}
      <stats-badge
        participant-id="p1"
        .session=${new FakeCallSession({ withVideo: false, stats: {} })}
      ></stats-badge>
    </div>`,
};

/** A good connection, expanded. */
export const Good: Story = { render: () => stage(badge('good', GOOD, true)) };

/** A fair connection (loss over 1 %, jitter over 30 ms), expanded. */
export const Fair: Story = { render: () => stage(badge('fair', FAIR, true)) };

/** A poor connection (loss over 5 %, jitter over 100 ms), expanded. */
export const PoorExpanded: Story = { render: () => stage(badge('poor', POOR, true)) };

/** With a label in the default slot, and as an extra badge in a `<video-tile>`'s `end` slot (collapsed). */
export const WithLabel: Story = {
  render: () => {
    const session = badgeSession('tile', FAIR, true);
    let participant: CallParticipant | undefined;
    session.participants$.subscribe((list) => (participant = list[1])).unsubscribe();
    return html`<div style="display:grid;gap:16px;padding:16px;max-width:360px">
      <div>${html`<stats-badge participant-id="p1" .session=${session}>Network</stats-badge>`}</div>
      <video-tile .session=${session} .participant=${participant} without-quality>
        <stats-badge slot="end" participant-id="p1" .session=${session}></stats-badge>
      </video-tile>
    </div>`;
  },
};

/** Tokens and parts: custom level colours, a dark surface and square details. */
export const Theming: Story = {
  render: () =>
    html`<style>
        .themed {
          --call-color-surface: #111827;
          --call-color-on-surface: #f9fafb;
          --call-color-on-surface-muted: #cbd5e1;
          --call-color-border: #374151;
          --call-stats-badge-good-color: #34d399;
          --call-stats-badge-fair-color: #fbbf24;
          --call-stats-badge-poor-color: #f87171;
          --call-stats-badge-radius: 0;
          display: flex;
          gap: 24px;
          align-items: start;
          padding: 16px;
          min-height: 250px;
          background: #111827;
        }
        .themed stats-badge::part(trigger) {
          border-radius: 4px;
        }
      </style>
      <div class="themed">${badge('good', GOOD)} ${badge('poor', POOR, true)}</div>`,
};

/**
 * The badge is a button whose name says the level; its details are a table with row headers, shown on hover or
 * focus and closed with Escape. Level changes are announced politely, at most every 10 s. See the a11y panel.
 */
export const Accessibility: Story = {
  render: () => stage(html`${badge('poor', POOR, true)}`),
};
