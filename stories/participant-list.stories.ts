import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/participant-list.js';
import type { ParticipantList } from '../src/components/participant-list/participant-list.js';
import type { CallParticipant } from '../src/core/types.js';
import type { FakeCallSession, FakeSessionOptions } from '../src/testing/fake-call-session.js';
import { fakeSession } from './support/fake-sessions.js';

const { args, argTypes, template } = getStorybookHelpers<ParticipantList>('participant-list');

/** Twenty distinct names, so the search has something to find. */
const NAMES = [
  'Amara Okafor',
  'Bjørn Larsen',
  'Chen Wei',
  'Dana Cohen',
  'Élodie Martin',
  'Farah Haddad',
  'Gabriel Silva',
  'Hana Sato',
  'Inés Álvarez',
  'Jonas Weber',
  'Kofi Mensah',
  'Lena Novak',
  'Mateo Rossi',
  'Nadia Petrova',
  'Omar Farouk',
  'Priya Nair',
  'Quinn Murphy',
  'Rosa Díaz',
  'Sven Andersson',
  'Tariq Aziz',
];

const prepared = new Set<string>();

/**
 * A fake session (no video) whose participants get `patch` once, when the session is made, so re-renders keep
 * whatever the story's controls changed.
 */
function session(
  name: string,
  count: number,
  patch: (index: number) => Partial<CallParticipant> = () => ({}),
  options: FakeSessionOptions = {},
): FakeCallSession {
  const s = fakeSession(`people-${name}`, { withVideo: false, ...options });
  if (!prepared.has(name)) {
    prepared.add(name);
    s.setParticipants(
      NAMES.slice(0, count).map((person, i) =>
        s.makeParticipant({ id: i === 0 ? 'local' : `p${i}`, name: person, isLocal: i === 0, ...patch(i) }),
      ),
    );
  }
  return s;
}

/** Everyone in a state at once: muted, camera off, presenting, speaking and raised hands. */
const states = () =>
  session('states', 7, (i) => ({
    micOn: ![2, 5].includes(i),
    cameraOn: ![3, 5].includes(i),
    screenOn: i === 4,
    speaking: i === 1,
    handRaised: [5, 6].includes(i),
  }));

/** A side panel's width. */
const panel = (content: unknown) => html`<div style="max-width:360px;padding:16px">${content}</div>`;

/** Everyone in the call, with their microphone, camera, presenting, speaking and raised-hand states. */
const meta: Meta<ParticipantList> = {
  title: 'Elements/participant-list',
  component: 'participant-list',
  args,
  argTypes,
  render: (storyArgs) =>
    panel(template({ ...storyArgs, session: session('playground', 4, (i) => ({ micOn: i !== 2 })) })),
};
export default meta;
type Story = StoryObj<ParticipantList>;

/** Four people on a fake session; the third has their microphone off. */
export const Playground: Story = {};

/** Twenty people: from nine on, a search field filters the list by name (try "ro" or "elodie"). */
export const Many: Story = {
  render: () =>
    panel(
      html`<participant-list
        .session=${session('many', 20, (i) => ({ micOn: i % 3 !== 1, cameraOn: i % 4 !== 2, handRaised: i === 12 }))}
      ></participant-list>`,
    ),
};

/**
 * Speaking (ring and icon), microphone off, camera off, presenting, and two raised hands, which come right after
 * the user, in the order they were raised.
 */
export const States: Story = {
  render: () => panel(html`<participant-list .session=${states()}></participant-list>`),
};

/** Dark global tokens and a few component tokens: larger avatars, a green speaking colour, a pink hand. */
export const Theming: Story = {
  render: () =>
    html`<style>
        .dark-people {
          --call-color-surface: #202124;
          --call-color-on-surface: #e8eaed;
          --call-color-on-surface-muted: #9aa0a6;
          --call-color-border: #5f6368;
          --call-color-accent: #8ab4f8;
          --call-color-on-accent: #202124;
          --call-participant-list-avatar-size: 40px;
          --call-participant-list-speaking-color: #81c995;
          --call-participant-list-hand-color: #f6aea9;
          --call-participant-list-gap: 8px;
          max-width: 360px;
          padding: 16px;
          background: #202124;
          border-radius: 16px;
        }
        .dark-people participant-list::part(heading) {
          font-size: 1.125rem;
        }
      </style>
      <div class="dark-people">
        <participant-list .session=${states()}></participant-list>
      </div>`,
};

/**
 * A section named by its heading, a real list (`role="list"` keeps it a list in Safari), rows without Tab stops,
 * icons with names (`role="img"`), a labelled search field, and a polite status saying how many people match.
 * See the a11y panel.
 */
export const Accessibility: Story = {
  render: () =>
    panel(
      html`<participant-list
        .session=${session('a11y', 12, (i) => ({ micOn: i !== 3, screenOn: i === 2, handRaised: i === 5 }))}
      ></participant-list>`,
    ),
};

/**
 * A host's view (a token with `canModerate`): every other person has a "Host options" menu (ask to unmute or
 * mute, stop camera, lower hand, spotlight, remove with a confirmation). Raised hands come first, in raise order.
 */
export const HostMenu: Story = {
  render: () =>
    panel(
      html`<participant-list
        .session=${session(
          'host',
          6,
          (i) => ({
            micOn: i !== 3,
            cameraOn: i !== 4,
            handRaised: [2, 5].includes(i),
            handRaisedAt: i === 5 ? 1 : i === 2 ? 2 : undefined,
            spotlighted: i === 1,
          }),
          { canModerate: true },
        )}
      ></participant-list>`,
    ),
};
