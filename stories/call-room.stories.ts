import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/call-room.js';
import type { CallRoom } from '../src/components/call-room/call-room.js';
import { FakeCallSession, type FakeSessionOptions } from '../src/testing/fake-call-session.js';

const { args, argTypes } = getStorybookHelpers<CallRoom>('call-room');

/** A room fed by a fake session with canvas-drawn video: no backend, no camera prompt. */
const fakeRoom = (options: FakeSessionOptions, after?: (session: FakeCallSession) => void) => {
  const session = new FakeCallSession(options);
  after?.(session);
  return html`<call-room style="height: 520px" .session=${session}></call-room>`;
};

/** The whole call in one element: grid, controls, settings, and a designed screen for every state. */
const meta: Meta<CallRoom> = {
  title: 'Elements/call-room',
  component: 'call-room',
  args,
  argTypes,
  render: () => fakeRoom({ participants: 4 }),
};
export default meta;
type Story = StoryObj<CallRoom>;

/** Four people; use the controls to mute, turn the camera off or open the device settings. */
export const Playground: Story = {};

/** Alone in the room: the self view and a placeholder while waiting for others. */
export const JoinedAlone: Story = { render: () => fakeRoom({ participants: 1 }) };

/** Four participants, one speaking. */
export const JoinedFour: Story = { render: () => fakeRoom({ participants: 4, speaking: [2] }) };

/** Nine participants in a three-by-three grid. */
export const JoinedNine: Story = { render: () => fakeRoom({ participants: 9, speaking: [4] }) };

/**
 * A large room: 25 people, the 9 who spoke last on the stage (pulled, with video), the other 15 summed up in one
 * tile. `max-video` sets the stage's size; `call-stage-change` says who is on it.
 */
export const LargeRoomStageOfNine: Story = {
  render: () => fakeRoom({ participants: 25, stage: 9, speaking: [3], muted: [5, 7, 12, 18] }),
};

/** Someone shares their screen: it takes the stage, cameras move to a strip. */
export const ScreenShare: Story = { render: () => fakeRoom({ participants: 4, screen: [1] }) };

/** Cameras off and microphones muted show initials and the muted icon. */
export const CameraOffAndMuted: Story = {
  render: () => fakeRoom({ participants: 4, videoOff: [1, 3], muted: [2, 3] }),
};

/** A poor connection turns the quality dots red. */
export const PoorQuality: Story = {
  render: () =>
    fakeRoom({ participants: 3, stats: { packetLossPercent: 8, jitterMs: 140, roundTripTimeMs: 420 } }),
};

/**
 * Data saver (`data-saver`, for metered connections): every remote camera arrives on its lowest simulcast layer,
 * a quarter of the full size (drawn here at 80×60), and the camera's own highest layer is not sent. Pair it
 * with `max-bitrate` to cap what the camera sends, in kbps.
 */
export const DataSaver: Story = {
  render: () => {
    const session = new FakeCallSession({ participants: 4 });
    return html`<call-room
      style="height: 520px"
      data-saver
      max-bitrate="300"
      .session=${session}
    ></call-room>`;
  },
};

/** Getting a token and connecting. */
export const Joining: Story = { render: () => fakeRoom({ state: 'joining' }) };

/** The connection dropped: the stage stays, a banner says what is happening. */
export const Reconnecting: Story = { render: () => fakeRoom({ participants: 4, state: 'reconnecting' }) };

/** The call could not go on: the reason and a way to try again. */
export const ErrorState: Story = {
  name: 'Error',
  render: () =>
    fakeRoom({ state: 'error' }, (session) =>
      queueMicrotask(() =>
        session.emitError({
          code: 'forbidden',
          message: 'This link is not valid for this room.',
          recoverable: false,
        }),
      ),
    ),
};

/** After leaving, a way back in. */
export const Left: Story = { render: () => fakeRoom({ state: 'left' }) };

/** Before joining: the pre-join screen with the camera preview, name, devices and who is already here. */
export const PreJoin: Story = {
  render: () =>
    fakeRoom({
      state: 'idle',
      participants: 1,
      lobby: {
        participants: [
          { id: 'a', name: 'Grace Hopper' },
          { id: 'b', name: 'Alan Turing' },
        ],
      },
    }),
};

/** `without-prejoin manual-join`: a kiosk room that waits for a click. */
export const Idle: Story = {
  render: () =>
    html`<call-room
      style="height: 520px"
      without-prejoin
      manual-join
      .session=${new FakeCallSession({ state: 'idle' })}
    ></call-room>`,
};

/** The call server can't be reached: words for people, the technical detail one click away. */
export const Unreachable: Story = {
  render: () =>
    fakeRoom({ state: 'error' }, (session) =>
      queueMicrotask(() =>
        session.emitError({
          code: 'connection-failed',
          message: 'The call server did not answer within 15 s.',
          recoverable: true,
        }),
      ),
    ),
};

/** A device problem during the call is a notice over it, not an error screen. */
export const DeviceNotice: Story = {
  render: () =>
    fakeRoom({ participants: 3 }, (session) =>
      queueMicrotask(() =>
        session.emitError({ code: 'permission-denied', message: 'NotAllowedError', recoverable: true }),
      ),
    ),
};

/** You share your screen: a notice with Stop takes the stage instead of your own screen. */
export const Presenting: Story = { render: () => fakeRoom({ participants: 3, screen: [0] }) };

/** The speaker view: whoever spoke last large, the others in a strip. */
export const SpeakerView: Story = {
  render: () =>
    html`<call-room
      style="height: 520px"
      layout="speaker"
      .session=${new FakeCallSession({ participants: 5, speaking: [2] })}
    ></call-room>`,
};

/** Three people at phone width, dark: one row of four controls, More holds the rest. */
export const Phone: Story = {
  parameters: { viewport: { defaultViewport: 'mobile1' } },
  render: () =>
    html`<div style="width: 390px; height: 760px; color-scheme: dark">
      <call-room
        style="height: 100%"
        .session=${new FakeCallSession({ participants: 3, speaking: [1] })}
      ></call-room>
    </div>`,
};

/**
 * A broadcast's viewer (a token without `canPublish`): the host's video, "1,204 watching", and a bar of settings
 * (speaker) and leave: no tile of its own, no camera or microphone.
 */
export const Viewer: Story = {
  render: () =>
    fakeRoom({
      participants: 2,
      speaking: [1],
      watching: 1204,
      localMedia: { canPublish: false, viewer: true, micOn: false, cameraOn: false },
    }),
};

/** The browser blocks audio until the user interacts: the room asks for a click instead of staying silent. */
export const AudioBlocked: Story = {
  render: () => fakeRoom({ participants: 3 }, (session) => session.setAudioBlocked(true)),
};

/** Global and component tokens: a dark, square room with an orange speaking ring. */
export const Theming: Story = {
  render: () =>
    html`<div
      style="--call-color-surface:#0b1020;--call-color-surface-raised:#151b30;--call-color-on-surface:#e5e7eb;
      --call-color-accent:#f97316;--call-color-speaking:#f97316;--call-room-radius:0;--call-video-tile-radius:0"
    >
      ${fakeRoom({ participants: 4, speaking: [1] })}
    </div>`,
};

/** A labelled region, toggles with aria-pressed, a polite live region announcing joins and leaves. */
export const Accessibility: Story = { render: () => fakeRoom({ participants: 2 }) };

/**
 * Two raised hands (a hand on their tiles, first in People in the order raised) and reactions floating over the
 * senders' tiles, announced politely to screen readers. `without-reactions` turns reactions off.
 */
export const HandsAndReactions: Story = {
  render: () =>
    fakeRoom({ participants: 4, hands: [2, 1] }, (session) => {
      const send = () => {
        session.emitReaction('p1', '🎉');
        setTimeout(() => session.emitReaction('p3', '👍'), 400);
        setTimeout(() => session.emitReaction('p1', '❤️'), 900);
      };
      setTimeout(send, 300);
      setInterval(send, 4500);
    }),
};

/** A host spotlighted someone: they take the large place on everyone's stage, marked "Spotlight". */
export const Spotlight: Story = { render: () => fakeRoom({ participants: 5, spotlight: 2 }) };

/** A host asks you to unmute: only a prompt, you decide. */
export const AskedToUnmute: Story = {
  render: () =>
    fakeRoom({ participants: 3, muted: [0] }, (session) =>
      setTimeout(() => session.emitHostRequest({ request: 'ask-unmute', by: 'p1' }), 100),
    ),
};

/** A host removed you: a final screen, no Try again (the same invitation can't rejoin). */
export const Removed: Story = {
  render: () => fakeRoom({ participants: 3 }, (session) => setTimeout(() => session.setRemoved(), 100)),
};
