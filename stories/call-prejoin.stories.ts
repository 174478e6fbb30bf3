import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/call-prejoin.js';
import type { CallPrejoin } from '../src/components/call-prejoin/call-prejoin.js';
import type { FakeCallSession, FakeSessionOptions } from '../src/testing/fake-call-session.js';
import { caption, fakeSession } from './support/fake-sessions.js';

const { args, argTypes, template } = getStorybookHelpers<CallPrejoin>('call-prejoin');

/** Where the element remembers the last name typed; cleared before each story so `display-name` shows. */
const NAME_STORAGE_KEY = 'call-elements-display-name';

/** One caller waiting to join, with a canvas-drawn camera: no backend, no camera prompt. */
const prejoinSession = (name: string, options: FakeSessionOptions = {}) =>
  fakeSession(`prejoin-${name}`, { state: 'idle', participants: 1, withVideo: true, ...options });

const people = (...names: string[]) => ({
  participants: names.map((name, i) => ({ id: `u${i}`, name })),
});

const oneHere = () => prejoinSession('one-here', { lobby: people('Grace Hopper') });
const manyHere = () =>
  prejoinSession('many-here', {
    lobby: people('Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Radia Perlman', 'Ken Thompson'),
  });
const speaking = () => {
  const session = prejoinSession('speaking', { lobby: people('Grace Hopper', 'Alan Turing') });
  session.setMicLevel(0.6);
  return session;
};

/** A pre-join screen on `session`, named Ada unless told otherwise. */
const prejoin = (session: FakeCallSession, displayName = 'Ada Lovelace', room = 'Weekly standup') =>
  html`<call-prejoin .session=${session} display-name=${displayName} room=${room}></call-prejoin>`;

const LONG_NAME = 'Maria Alexandrovna Konstantinopolskaya-Wolfeschlegelsteinhausenberger de la Cruz';
const LONG_ROOM = 'Quarterly planning for the platform, infrastructure and developer experience teams';

/** Padding, and the full width of the canvas: the screen grows to `--call-prejoin-max-width` (1040px). */
const wide = (content: unknown) => html`<div style="padding:16px">${content}</div>`;

/** A phone held upright: 390 CSS pixels wide, following the page's light or dark scheme. */
const phone = (content: unknown) =>
  html`<div
    style="width:390px;min-height:844px;box-sizing:border-box;color-scheme:light dark;background:Canvas;color:CanvasText"
  >
    ${content}
  </div>`;

/** Args of attributes are keyed by the attribute's name, `display-name`. */
const playgroundArgs: typeof args = { ...args, room: 'Weekly standup', 'display-name': 'Ada Lovelace' };

/**
 * The screen before a call: camera preview with microphone and camera switches, a level meter, your name, the
 * device pickers, the room's name and who is already in it. Join fires `call-join-request`, then joins.
 */
const meta: Meta<CallPrejoin> = {
  title: 'Elements/call-prejoin',
  component: 'call-prejoin',
  args: playgroundArgs,
  argTypes,
  render: (storyArgs) =>
    wide(
      template({
        ...storyArgs,
        session: prejoinSession('playground', { lobby: people('Grace Hopper', 'Alan Turing') }),
      }),
    ),
  // A name typed and joined with in one story would otherwise replace `display-name` in all of them.
  beforeEach: () => localStorage.removeItem(NAME_STORAGE_KEY),
};
export default meta;
type Story = StoryObj<CallPrejoin>;

/** Every attribute as a control; the switches and Join drive a fake session. */
export const Playground: Story = {};

/** Camera off, muted, speaking into the microphone, nobody / one / many in the room, and a long name. */
export const States: Story = {
  render: () =>
    html`<div style="display:grid;gap:40px;padding:16px">
      ${caption('Camera off', prejoin(prejoinSession('camera-off', { localMedia: { cameraOn: false } })))}
      ${caption('Muted', prejoin(prejoinSession('muted', { localMedia: { micOn: false } })))}
      ${caption('Speaking into the microphone', prejoin(speaking()))}
      ${caption('Nobody in the room yet', prejoin(prejoinSession('nobody', { lobby: people() })))}
      ${caption('One person in the room', prejoin(oneHere()))}
      ${caption('Five people in the room', prejoin(manyHere()))}
      ${caption('A long name and room', prejoin(prejoinSession('long-name'), LONG_NAME, LONG_ROOM))}
    </div>`,
};

/** The camera is off: the preview shows your initials and the camera switch is red and struck through. */
export const CameraOff: Story = {
  render: () =>
    wide(prejoin(prejoinSession('camera-off', { localMedia: { cameraOn: false }, lobby: people() }))),
};

/** The microphone is off: the switch is red, `aria-pressed="false"`, and the level meter is dimmed. */
export const Muted: Story = {
  render: () => wide(prejoin(prejoinSession('muted', { localMedia: { micOn: false } }))),
};

/** Someone is speaking into the microphone: the level meter is filled most of the way. */
export const SpeakingIntoMic: Story = { render: () => wide(prejoin(speaking())) };

/** The server says the room is empty. */
export const NobodyHere: Story = {
  render: () => wide(prejoin(prejoinSession('nobody', { lobby: people() }))),
};

/** One person is already in the call. */
export const OneHere: Story = { render: () => wide(prejoin(oneHere())) };

/** Five people are in the call: two names and how many more. */
export const ManyHere: Story = { render: () => wide(prejoin(manyHere())) };

/** A very long name and room name: they wrap instead of pushing the layout wider. */
export const LongName: Story = {
  render: () =>
    wide(prejoin(prejoinSession('long-name', { lobby: people(LONG_NAME) }), LONG_NAME, LONG_ROOM)),
};

/** At phone width the preview goes on top and Join spans the width. */
export const PhoneWidth: Story = {
  parameters: { layout: 'fullscreen' },
  render: () => phone(prejoin(prejoinSession('phone', { lobby: people('Grace Hopper', 'Alan Turing') }))),
};

/** A dark theme through the global `--call-*` tokens, rounder preview corners, and a lighter heading through its part. */
export const Theming: Story = {
  render: () =>
    html`<style>
        .dark-call {
          --call-color-surface: #111827;
          --call-color-surface-raised: #1f2937;
          --call-color-on-surface: #f9fafb;
          --call-color-on-surface-muted: #cbd5e1;
          --call-color-border: #4b5563;
          --call-color-accent: #a78bfa;
          --call-color-on-accent: #111827;
          --call-color-danger: #f87171;
          --call-color-success: #34d399;
          --call-radius-m: 12px;
          --call-video-tile-radius: 20px;
          padding: 24px;
          background: #111827;
          border-radius: 16px;
          max-width: 960px;
        }
        .dark-call call-prejoin::part(heading) {
          font-weight: 400;
          letter-spacing: -0.01em;
        }
      </style>
      <div class="dark-call">${prejoin(prejoinSession('themed', { lobby: people('Grace Hopper') }))}</div>`,
};

/**
 * A form: the name field has a visible label and Enter joins; the switches are buttons with constant names
 * and `aria-pressed`; the level is a labelled `meter`; who is in the room is a polite status. See the a11y panel.
 */
export const Accessibility: Story = {
  render: () =>
    wide(
      prejoin(
        prejoinSession('a11y', {
          localMedia: { micOn: false },
          lobby: people('Grace Hopper', 'Alan Turing'),
        }),
      ),
    ),
};
