import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/video-tile.js';
import type { VideoTile } from '../src/components/video-tile/video-tile.js';
import type { CallParticipant } from '../src/core/types.js';
import { defaultQualityThresholds } from '../src/core/quality.js';
import type { FakeCallSession, FakeSessionOptions } from '../src/testing/fake-call-session.js';
import { caption, fakeSession } from './support/fake-sessions.js';

const { args, argTypes, template } = getStorybookHelpers<VideoTile>('video-tile');

const tileSession = (name: string, options: FakeSessionOptions) =>
  fakeSession(`tile-${name}`, { withVideo: true, ...options });
function participant(session: FakeCallSession, index: number): CallParticipant {
  let list: readonly CallParticipant[] = [];
  session.participants$.subscribe((value) => (list = value)).unsubscribe();
  return list[index];
}

const room = () => tileSession('room', { participants: 4, speaking: [1], muted: [2], videoOff: [2, 3] });
const poor = () =>
  tileSession('poor', {
    participants: 2,
    stats: { packetLossPercent: 8, jitterMs: 70, roundTripTimeMs: 420, bitrateKbps: 180 },
  });
const sharing = () => tileSession('sharing', { participants: 2, screen: [1] });

/** A tile driven by a fake session with canvas video. */
const tile = (session: FakeCallSession, index: number, extra: Partial<VideoTile> = {}) =>
  html`<video-tile
    .session=${session}
    .participant=${participant(session, index)}
    source=${extra.source ?? 'camera'}
    ?mirrored=${extra.mirrored ?? false}
  ></video-tile>`;

const grid = (content: unknown) =>
  html`<div
    style="display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:16px;max-width:820px"
  >
    ${content}
  </div>`;

const single = (content: unknown) => html`<div style="max-width:360px">${content}</div>`;

/** One participant's video or initials, with name plate, mute, speaking and quality indicators. */
const meta: Meta<VideoTile> = {
  title: 'Elements/video-tile',
  component: 'video-tile',
  // The manifest's default is the constant's name; give the control the real object.
  args: { ...args, thresholds: defaultQualityThresholds },
  argTypes,
  render: (storyArgs) =>
    single(template({ ...storyArgs, session: room(), participant: participant(room(), 1) })),
};
export default meta;
type Story = StoryObj<VideoTile>;

/** Every attribute as a control, on a speaking participant with canvas video. */
export const Playground: Story = {};

/** Speaking, muted with the camera off, camera off, a shared screen, poor quality and a mirrored self view. */
export const States: Story = {
  render: () =>
    grid(html`
      ${caption('Speaking', tile(room(), 1))} ${caption('Muted, camera off', tile(room(), 2))}
      ${caption('Camera off', tile(room(), 3))}
      ${caption('Shared screen', tile(sharing(), 1, { source: 'screen' }))}
      ${caption('Poor connection', tile(poor(), 1))}
      ${caption('Self view, mirrored', tile(room(), 0, { mirrored: true }))}
    `),
};

/** The speaking outline, the labelled speaking icon, and the participant's video. */
export const Speaking: Story = { render: () => single(tile(room(), 1)) };

/** A muted participant with the camera off: initials and a labelled microphone-off icon. */
export const Muted: Story = { render: () => single(tile(room(), 2)) };

/** Camera off: the participant's initials on a colour of their own. */
export const CameraOff: Story = { render: () => single(tile(room(), 3)) };

/** `source="screen"`: the shared screen, letterboxed (`fit` defaults to contain for screens). */
export const Screen: Story = { render: () => single(tile(sharing(), 1, { source: 'screen' })) };

/** Packet loss, jitter and round trip over the limits: one bar, in the poor colour. */
export const PoorQuality: Story = { render: () => single(tile(poor(), 1)) };

/** The local camera with `mirrored`, as `<call-room>` shows the self view; the name reads "(you)". */
export const MirroredSelfView: Story = { render: () => single(tile(room(), 0, { mirrored: true })) };

/** Tokens and parts: square corners, an orange speaking outline, a slate backdrop and name plate, and a 4:3 shape. */
export const Theming: Story = {
  render: () =>
    html`<style>
        .themed {
          --call-video-tile-radius: 0;
          --call-video-tile-speaking-color: #e8590c;
          --call-video-tile-aspect-ratio: 4 / 3;
          --call-video-tile-background: #1e293b;
          --call-video-tile-label-background: rgb(30 41 59 / 0.85);
        }
        .themed video-tile::part(name) {
          text-transform: uppercase;
          letter-spacing: 0.06em;
        }
      </style>
      <div class="themed">${grid(html`${tile(room(), 1)} ${tile(room(), 2)}`)}</div>`,
};

/**
 * Each tile is a group named after the participant; speaking, muted and quality are labelled icons, not colour
 * alone, and the outline stops animating under prefers-reduced-motion. See the a11y panel.
 */
export const Accessibility: Story = {
  render: () => grid(html`${tile(room(), 1)} ${tile(room(), 2)} ${tile(poor(), 1)}`),
};
