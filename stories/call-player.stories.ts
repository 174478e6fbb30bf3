import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/call-player.js';
import type { CallPlayer } from '../src/components/call-player/call-player.js';

const { args, argTypes, template } = getStorybookHelpers<CallPlayer>('call-player');

/** Storybook has no call server: the player stays in its connecting and reconnecting states here. Run
 * `npm start` and open `/player.html` to watch the standup room for real. */
const frame = (content: unknown) => html`<div style="max-width:480px;padding:16px">${content}</div>`;

/** A WHEP player for one participant of a room, or its stage: muted autoplay, an unmute button, reconnects. */
const meta: Meta<CallPlayer> = {
  title: 'Elements/call-player',
  component: 'call-player',
  args: { ...args, src: '/whep/standup' } as Meta<CallPlayer>['args'],
  argTypes,
  render: (storyArgs) => frame(template(storyArgs)),
  tags: ['autodocs'],
};
export default meta;
type Story = StoryObj<CallPlayer>;

/** Every attribute as a control. Without a call server the player keeps trying, with growing pauses. */
export const Playground: Story = {};

/** Connecting, then reconnecting: the status label sits on the picture; `:state()` selectors follow it. */
export const States: Story = {
  render: () =>
    frame(
      html`<style>
          .states call-player:state(reconnecting)::part(status) {
            background: #b06000;
          }
        </style>
        <div class="states"><call-player src="/whep/nowhere"></call-player></div>`,
    ),
};

/** Tokens and parts: square corners, a 4:3 frame and an accent-coloured status label. */
export const Theming: Story = {
  render: () =>
    frame(
      html`<style>
          .themed {
            --call-player-radius: 0;
            --call-player-aspect-ratio: 4 / 3;
            --call-player-background: #111827;
            --call-player-button-background: #1a73e8;
          }
        </style>
        <call-player class="themed" src="/whep/standup"></call-player>`,
    ),
};

/**
 * The status label is a polite live region; the unmute button is a toggle (`aria-pressed`) named "Unmute" or
 * "Mute", reachable by keyboard. The video itself has no controls to trap focus. See the a11y panel.
 */
export const Accessibility: Story = {
  render: () => frame(html`<call-player src="/whep/standup"></call-player>`),
};
