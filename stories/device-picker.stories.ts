import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/device-picker.js';
import type { DevicePicker } from '../src/components/device-picker/device-picker.js';
import type { DeviceKind, DeviceStatus } from '../src/core/media-devices.js';
import { FakeDeviceSource } from '../src/testing/fake-device-source.js';

const { args, argTypes, template } = getStorybookHelpers<DevicePicker>('device-picker');

/** Pickers fed by a fake source, so every story renders the same without real devices or prompts. */
const withFakeSource = (kind: DeviceKind, status: DeviceStatus = 'ready') =>
  html`<device-picker kind=${kind} .source=${new FakeDeviceSource(kind, status)}></device-picker>`;

/** Chooses the camera, microphone or speaker with a native select; explains why when it can't. */
const meta: Meta<DevicePicker> = {
  title: 'Elements/device-picker',
  component: 'device-picker',
  args: { ...args, kind: 'camera' },
  argTypes,
  render: (storyArgs) => template(storyArgs),
};
export default meta;
type Story = StoryObj<DevicePicker>;

/** Every attribute as a control, with the browser's real devices (your browser may ask for access). */
export const Playground: Story = {};

/** The three kinds side by side. */
export const Kinds: Story = {
  render: () =>
    html`<div style="display:flex;gap:16px;flex-wrap:wrap">
      ${withFakeSource('camera')} ${withFakeSource('microphone')} ${withFakeSource('speaker')}
    </div>`,
};

/** Every state: ready, needs permission, denied, no device, in use, and unsupported output selection. */
export const States: Story = {
  render: () =>
    html`<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:16px">
      ${withFakeSource('camera', 'ready')} ${withFakeSource('camera', 'needs-permission')}
      ${withFakeSource('camera', 'permission-denied')} ${withFakeSource('microphone', 'no-device')}
      ${withFakeSource('microphone', 'device-in-use')} ${withFakeSource('speaker', 'unsupported')}
    </div>`,
};

/** Tokens and parts: a dark surface, square corners and an uppercase label. */
export const Theming: Story = {
  render: () =>
    html`<style>
        .themed {
          --call-color-surface: #111827;
          --call-color-on-surface: #f9fafb;
          --call-color-on-surface-muted: #cbd5e1;
          --call-color-border: #6366f1;
          --call-color-danger: #fca5a5;
          --call-device-picker-radius: 0;
          padding: 16px;
          background: #111827;
        }
        .themed device-picker::part(label) {
          text-transform: uppercase;
          letter-spacing: 0.08em;
        }
      </style>
      <div class="themed">
        ${withFakeSource('camera')} ${withFakeSource('microphone', 'permission-denied')}
      </div>`,
};

/** A visible label tied to the select, the reason linked with aria-describedby, and focus delegated to the select. */
export const Accessibility: Story = {
  render: () => html`${withFakeSource('camera')} ${withFakeSource('camera', 'permission-denied')}`,
};
