import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/breakout-panel.js';
import '../src/define/breakout-banner.js';
import type { BreakoutPanel } from '../src/components/breakout-panel/breakout-panel.js';
import { FakeBreakouts } from '../src/testing/fake-breakouts.js';
import type { FakeCallSession } from '../src/testing/fake-call-session.js';
import { hostWithRoomsOpen, participantMoving } from './support/breakout-fixtures.js';
import { fakeSession } from './support/fake-sessions.js';

const { args, argTypes, template } = getStorybookHelpers<BreakoutPanel>('breakout-panel');

/** A fake session (no video) carrying `breakouts`, made once per name. */
function session(name: string, breakouts: () => FakeBreakouts): FakeCallSession {
  const s = fakeSession(`breakouts-${name}`, { withVideo: false });
  s.breakouts ??= breakouts();
  return s;
}

/** A side panel's width. */
const panel = (content: unknown) => html`<div style="max-width:360px;padding:16px">${content}</div>`;

/** The host's breakout rooms: create, name, assign, shuffle, open, message and close. */
const meta: Meta<BreakoutPanel> = {
  title: 'Elements/breakout-panel',
  component: 'breakout-panel',
  args,
  argTypes,
  tags: ['autodocs'],
  render: (storyArgs) =>
    panel(
      template({ ...storyArgs, session: session('playground', () => new FakeBreakouts({ isHost: true })) }),
    ),
};
export default meta;
type Story = StoryObj<BreakoutPanel>;

/** A host before any room exists: how many rooms, and whether people may go back on their own. */
export const Playground: Story = {};

/** The host in the main room with two rooms open; someone asked for help, and the host can go there. */
export const HostWithRoomsOpen: Story = {
  render: () =>
    panel(html`<breakout-panel .session=${session('host-open', hostWithRoomsOpen)}></breakout-panel>`),
};

/**
 * A participant being moved: first the opening countdown with "Join now", then in the room with "Ask for help",
 * "Back to main room" and a host's message to all rooms.
 */
export const ParticipantBeingMoved: Story = {
  render: () =>
    html`<div style="display:grid;gap:16px;max-width:640px;padding:16px">
      <breakout-banner .session=${session('going', () => participantMoving('going'))}></breakout-banner>
      <breakout-banner .session=${session('in-room', () => participantMoving('in-room'))}></breakout-banner>
    </div>`,
};

/** Dark global tokens on the host panel. */
export const Theming: Story = {
  render: () =>
    html`<div
      style="--call-color-surface:#202124;--call-color-surface-raised:#2d2e31;--call-color-on-surface:#e8eaed;--call-color-on-surface-muted:#9aa0a6;--call-color-border:#5f6368;--call-color-accent:#8ab4f8;--call-color-on-accent:#202124;max-width:360px;padding:16px;background:#202124;border-radius:16px"
    >
      <breakout-panel .session=${session('theming', hostWithRoomsOpen)}></breakout-panel>
    </div>`,
};

/**
 * A section named by its heading; every field and picker has a label; the phase and the banner are polite
 * status regions, so countdowns and moves are announced. See the a11y panel.
 */
export const Accessibility: Story = {
  render: () => panel(html`<breakout-panel .session=${session('a11y', hostWithRoomsOpen)}></breakout-panel>`),
};
