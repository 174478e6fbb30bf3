import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import '../src/define/call-chat.js';
import '../src/define/call-controls.js';
import type { CallChat } from '../src/components/call-chat/call-chat.js';
import type { CallControls } from '../src/components/call-controls/call-controls.js';
import type { FakeCallSession } from '../src/testing/fake-call-session.js';
import type { FakeChat } from '../src/testing/fake-chat.js';
import { caption, fakeSession } from './support/fake-sessions.js';

const { args, argTypes, template } = getStorybookHelpers<CallChat>('call-chat');

const prepared = new Set<string>();

/**
 * A fake session with four people (Ada Lovelace is "you") whose chat gets `fill` once, when the session is made,
 * so re-renders keep what was typed and sent.
 */
function session(
  name: string,
  fill: (chat: FakeChat, session: FakeCallSession) => void = () => {},
): FakeCallSession {
  const s = fakeSession(`chat-${name}`, { participants: 4, withVideo: false });
  if (!prepared.has(name)) {
    prepared.add(name);
    fill(s.chat!, s);
  }
  return s;
}

const minutesAgo = (m: number) => Date.now() - m * 60_000;

/** A standup's worth of chat: runs of one sender share a header, links are clickable, yours are "You". */
function busy(chat: FakeChat): void {
  chat.receive('p1', 'Morning! Agenda is in the doc: https://example.com/standup/agenda', minutesAgo(14));
  chat.receive('p1', 'I’ll share my screen after Alan.', minutesAgo(14));
  chat.receive('p2', 'Can everyone hear me? My headset is acting up.', minutesAgo(13));
  chat.receive('p3', 'Loud and clear 👍', minutesAgo(13));
  chat.receive('p2', 'Great, thanks.', minutesAgo(12));
  chat.receive(
    'p3',
    'The build is green again; the flaky test was a timer.\nDetails in the PR: https://example.com/pr/1234.',
    minutesAgo(6),
  );
  chat.receive('p1', '<b>not bold</b>: messages are text, never HTML', minutesAgo(2));
  chat.receive(
    'p2',
    'javascript:alert(1) stays text too; only http and https links are clickable',
    minutesAgo(1),
  );
}

/** A side panel's size. */
const panel = (content: unknown, height = '480px') =>
  html`<div
    style="display:grid;grid-template-rows:minmax(0,1fr);width:340px;height:${height};border:1px solid #dadce0"
  >
    ${content}
  </div>`;

/** The call's chat: messages since this page joined, grouped by sender with local times, and a composer. */
const meta: Meta<CallChat> = {
  title: 'Elements/call-chat',
  component: 'call-chat',
  args,
  argTypes,
  render: (storyArgs) => panel(template({ ...storyArgs, session: session('playground', busy) })),
};
export default meta;
type Story = StoryObj<CallChat>;

/** A busy chat on a fake session: type and press Enter to send (Shift+Enter for a new line). */
export const Playground: Story = {};

/** Nobody said anything yet: the empty text and the note that messages are visible to people in the call. */
export const Empty: Story = {
  render: () => panel(html`<call-chat .session=${session('empty')}></call-chat>`),
};

/** Many messages from three people and from you, with links and text that looks like markup. */
export const Busy: Story = {
  render: () => panel(html`<call-chat .session=${session('busy', busy)}></call-chat>`),
};

/**
 * Messages arrived while the chat was closed: the chat button of `<call-controls>` shows how many (its name says
 * "Chat, 3 unread"). Press it to open the chat; the count goes.
 */
export const Unread: Story = {
  render: () => {
    const s = session('unread', (chat) => {
      chat.receive('p1', 'Did you see the new numbers?', minutesAgo(3));
      chat.receive('p2', 'Yes, they look good', minutesAgo(2));
      chat.receive('p1', 'Let’s go through them after the demo', minutesAgo(1));
    });
    const toggle = (event: Event & { detail: { open: boolean } }) => {
      const controls = event.currentTarget as CallControls;
      const chat = controls.closest('.unread')!.querySelector<HTMLElement>('.unread-chat')!;
      chat.hidden = !event.detail.open;
      controls.chatUnread = event.detail.open ? 0 : controls.chatUnread;
    };
    return html`<div class="unread" style="display:grid;gap:16px;justify-items:start;padding:16px">
      ${caption(
        'Three messages arrived while the chat was closed',
        html`<call-controls
          .session=${s}
          chat-unread="3"
          @call-chat-toggle=${toggle}
          @call-leave-request=${(e: Event) => e.preventDefault()}
        ></call-controls>`,
      )}
      <div class="unread-chat" hidden>${panel(html`<call-chat .session=${s}></call-chat>`, '360px')}</div>
    </div>`;
  },
};

/** Hebrew and Arabic run right to left (`dir=auto` per message and name), mixed with left-to-right text. */
export const RightToLeft: Story = {
  name: 'RTL',
  render: () => {
    const s = session('rtl', (chat, fake) => {
      fake.updateParticipant('p1', { name: 'נועה כהן' });
      fake.updateParticipant('p2', { name: 'ليلى حداد' });
      chat.receive('p1', 'שלום לכולם! מתחילים בעוד דקה.', minutesAgo(4));
      chat.receive('p2', 'مرحبا بالجميع، الرابط هنا: https://example.com/agenda', minutesAgo(3));
      chat.receive('p3', 'Hello! English runs left to right next to them.', minutesAgo(2));
      chat.receive('p1', 'מצוין, תודה', minutesAgo(1));
    });
    return panel(html`<call-chat .session=${s}></call-chat>`);
  },
};

/**
 * Someone sent far too many messages too fast: this page kept the first ones and shows how many it dropped, in
 * one notice per flood.
 */
export const DroppedFlood: Story = {
  name: 'Dropped-flood notice',
  render: () =>
    panel(
      html`<call-chat
        .session=${session('flood', (chat) => {
          chat.receive('p2', 'Quick question about the release', minutesAgo(2));
          for (let i = 1; i <= 20; i++) chat.receive('p3', `spam ${i}`, minutesAgo(1));
          chat.drop('p3', 980);
          chat.receive('p1', 'Someone’s keyboard got stuck, I think', minutesAgo(0));
        })}
      ></call-chat>`,
    ),
};

/** A participant whose invitation lets them watch but not chat (no `canChat`): the chat is read-only. */
export const ReadOnly: Story = {
  render: () => {
    const s = session('read-only', busy);
    s.chat!.setCanSend(false);
    return panel(html`<call-chat .session=${s}></call-chat>`);
  },
};

/** Dark global tokens, a component token for your own messages, and parts for the names and the composer. */
export const Theming: Story = {
  render: () =>
    html`<style>
        .dark-chat {
          --call-color-surface: #202124;
          --call-color-on-surface: #e8eaed;
          --call-color-on-surface-muted: #9aa0a6;
          --call-chat-own-background: #174ea6;
          --call-chat-gap: 10px;
        }
        .dark-chat call-chat::part(sender) {
          color: #8ab4f8;
        }
        .dark-chat call-chat::part(composer) {
          border-top: 1px solid #5f6368;
        }
      </style>
      <div class="dark-chat">
        ${panel(html`<call-chat .session=${session('themed', busy)}></call-chat>`)}
      </div>`,
};

/**
 * A polite `log` (new messages are read out without interrupting), a labelled composer, errors as alerts, and
 * every message's direction from its own text. See the a11y panel.
 */
export const Accessibility: Story = {
  render: () =>
    panel(
      html`<call-chat
        .session=${session('a11y', (chat) => {
          busy(chat);
          chat.drop('p3', 12);
        })}
      ></call-chat>`,
    ),
};
