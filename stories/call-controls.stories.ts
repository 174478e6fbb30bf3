import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/call-controls.js';
import type { CallControls } from '../src/components/call-controls/call-controls.js';
import type { LocalMediaState } from '../src/core/types.js';
import { caption, fakeSession, stage as padded } from './support/fake-sessions.js';

const { args, argTypes, template } = getStorybookHelpers<CallControls>('call-controls');

/** Controls on a fake session; pressing the buttons changes its state. Leave is kept from ending the story. */
const controls = (name: string, localMedia: Partial<LocalMediaState> = {}) =>
  html`<call-controls
    .session=${fakeSession(`controls-${name}`, { withVideo: false, localMedia })}
    @call-leave-request=${(e: Event) => e.preventDefault()}
  ></call-controls>`;

/** Room for the talking-while-muted hint above the buttons. */
const stage = (content: unknown) => padded(content, '56px 16px 16px');

/** Microphone, camera and screen toggles, settings and leave, on the session of the room or `.session`. */
const meta: Meta<CallControls> = {
  title: 'Elements/call-controls',
  component: 'call-controls',
  args,
  argTypes,
  render: (storyArgs) => stage(template({ ...storyArgs, session: fakeSession('playground') })),
};
export default meta;
type Story = StoryObj<CallControls>;

/** Every attribute as a control; the buttons drive a fake session (leave calls its `leave()`). */
export const Playground: Story = {};

/** Default, muted, camera off, sharing, talking while muted, and unable to publish. */
export const States: Story = {
  render: () =>
    html`<div style="display:grid;gap:40px;padding:56px 16px 16px;max-width:640px">
      ${caption('Default', controls('default'))} ${caption('Muted', controls('muted', { micOn: false }))}
      ${caption('Camera off', controls('camera-off', { cameraOn: false }))}
      ${caption('Sharing the screen', controls('sharing', { screenOn: true }))}
      ${caption('Talking while muted', controls('talking', { micOn: false, talkingWhileMuted: true }))}
      ${caption('Cannot publish', controls('cannot', { canPublish: false, micOn: false, cameraOn: false }))}
    </div>`,
};

/** Microphone and camera on, nothing shared. */
export const Default: Story = { render: () => stage(controls('default')) };

/** The microphone is off: struck-through icon on red, `aria-pressed="false"`, name unchanged. */
export const Muted: Story = { render: () => stage(controls('muted', { micOn: false })) };

/** The camera is off. */
export const CameraOff: Story = { render: () => stage(controls('camera-off', { cameraOn: false })) };

/** Sharing the screen: the toggle is pressed and highlighted. */
export const Sharing: Story = { render: () => stage(controls('sharing', { screenOn: true })) };

/** The microphone is off but picks up speech: a hint above it, announced politely. */
export const TalkingWhileMuted: Story = {
  render: () => stage(controls('talking', { micOn: false, talkingWhileMuted: true })),
};

/** Publishing isn't allowed: toggles stay focusable with `aria-disabled` and a visible reason. */
export const CannotPublish: Story = {
  render: () => stage(controls('cannot', { canPublish: false, micOn: false, cameraOn: false })),
};

/** Tokens, parts and slots: a dark bar, square buttons, no labels, and extra buttons in `start` and `end`. */
export const Theming: Story = {
  render: () =>
    html`<style>
        .themed {
          --call-color-surface: #111827;
          --call-color-on-surface: #f9fafb;
          --call-color-on-surface-muted: #cbd5e1;
          --call-color-border: #374151;
          --call-controls-button-background: #1f2937;
          --call-controls-button-size: 48px;
          --call-controls-off-background: #f59e0b;
          padding: 16px;
          background: #111827;
          border-radius: 16px;
        }
        .themed call-controls::part(leave) {
          margin-inline-start: 24px;
        }
        .extra {
          min-height: 48px;
          padding: 0 16px;
          color: inherit;
          background: #1f2937;
          border: 1px solid #374151;
          border-radius: 24px;
          font: 600 13px system-ui;
        }
      </style>
      <div class="themed">
        <call-controls
          without-labels
          .session=${fakeSession('controls-themed', { withVideo: false, localMedia: { micOn: false } })}
        >
          <button class="extra" slot="start" type="button">Raise hand</button>
          <button class="extra" slot="end" type="button">Captions</button>
        </call-controls>
      </div>`,
};

/**
 * A named group of native buttons: constant names with `aria-pressed`, `aria-expanded` on settings, unavailable
 * toggles with `aria-disabled` and a described reason, and a polite status for the hint. See the a11y panel.
 */
export const Accessibility: Story = {
  render: () =>
    html`<div style="display:grid;gap:40px;padding:56px 16px 16px">
      ${controls('talking', { micOn: false, talkingWhileMuted: true })}
      ${controls('cannot', { canPublish: false, micOn: false, cameraOn: false })}
    </div>`,
};
