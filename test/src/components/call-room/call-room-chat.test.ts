// The chat inside <call-room>: the chat button's unread count, the side panel (full screen on a phone), and the
// chat events a host page sees.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../../../src/define/call-room.js';
import type { CallRoom } from '../../../../src/components/call-room/call-room.js';
import type { CallControls } from '../../../../src/components/call-controls/call-controls.js';
import type { CallChat } from '../../../../src/components/call-chat/call-chat.js';
import type { CallChatMessageEvent } from '../../../../src/events/call-chat-message.js';
import { FakeCallSession } from '../../../../src/testing/fake-call-session.js';
import type { FakeChat } from '../../../../src/testing/fake-chat.js';

const part = (el: CallRoom, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

async function room() {
  const session = new FakeCallSession({ participants: 3, withVideo: false });
  const el = await fixture<CallRoom>(
    html`<call-room room="standup" .session=${session} style="display:block;height:600px"></call-room>`,
  );
  await el.updateComplete;
  const controls = el.shadowRoot!.querySelector<CallControls>('call-controls')!;
  await controls.updateComplete;
  const chatButton = () => controls.shadowRoot!.querySelector<HTMLButtonElement>('[part~="chat"]')!;
  const unread = () => controls.shadowRoot!.querySelector('[part~="chat-unread"]')?.textContent?.trim();
  /** Lets the room see the chat's latest messages and pass the count to the controls. */
  const settle = async () => {
    await el.updateComplete;
    await controls.updateComplete;
  };
  return { el, session, chat: session.chat as FakeChat, controls, chatButton, unread, settle };
}

/** Opens the chat with the controls' button and waits for the lazily loaded <call-chat>. */
async function openChat(r: Awaited<ReturnType<typeof room>>): Promise<CallChat> {
  r.chatButton().click();
  await r.settle();
  await customElements.whenDefined('call-chat');
  const chat = part(r.el, 'chat')!.querySelector<CallChat>('call-chat')!;
  await chat.updateComplete;
  return chat;
}

let recording = new AbortController();
afterEach(async () => {
  recording.abort();
  recording = new AbortController();
  await setViewport({ width: 800, height: 600 });
});

function record<T extends Event>(type: string): T[] {
  const events: T[] = [];
  document.addEventListener(type, (e: Event) => events.push(e as T), { signal: recording.signal });
  return events;
}

describe('<call-room> chat', () => {
  it('counts messages from others on the chat button while the chat is closed', async () => {
    const r = await room();
    expect(r.unread(), 'nothing yet').to.be.undefined;
    r.chat.receive('p1', 'one');
    r.chat.receive('p2', 'two');
    r.chat.send('mine');
    r.chat.drop('p2', 5);
    await r.settle();
    expect(r.unread(), 'own messages and drop notices do not count').to.equal('2');
    expect(r.chatButton().getAttribute('aria-label')).to.equal('Chat, 2 unread');
    await expect(r.el).to.be.accessible();
  });

  it('fires call-chat-message for each message from others, once', async () => {
    const r = await room();
    const events = record<CallChatMessageEvent>('call-chat-message');
    r.chat.receive('p1', 'hello');
    await r.settle();
    r.chat.receive('p2', 'hi');
    await r.settle();
    await r.settle();
    expect(events.map((e) => [e.detail.message.name, e.detail.message.text])).to.deep.equal([
      ['Grace Hopper', 'hello'],
      ['Alan Turing', 'hi'],
    ]);
    expect(events.every((e) => !e.detail.message.own && e.composed && e.bubbles)).to.be.true;
  });

  it('fires once per message from others whatever comes between (own messages, drop notices, many at once)', async () => {
    const r = await room();
    const events = record<CallChatMessageEvent>('call-chat-message');
    r.chat.receive('p1', 'a');
    r.chat.send('mine');
    r.chat.drop('p2', 3);
    r.chat.receive('p2', 'b');
    r.chat.receive('p1', 'c');
    r.chat.send('mine again');
    r.chat.drop('p1');
    r.chat.receive('p2', 'd');
    r.chat.receive('p2', 'e');
    await r.settle();
    expect(events.map((e) => e.detail.message.text)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(r.unread()).to.equal('5');
  });

  it('opens the chat as a side panel, marks everything read, and closes with Escape', async () => {
    const r = await room();
    r.chat.receive('p1', 'before opening');
    await r.settle();
    expect(r.unread()).to.equal('1');
    const chat = await openChat(r);
    const panel = part(r.el, 'chat')!;
    expect(panel.getAttribute('aria-label')).to.equal('Chat');
    expect(r.controls.chatOpen, 'the button follows').to.be.true;
    expect(r.chatButton().getAttribute('aria-expanded')).to.equal('true');
    expect(r.unread(), 'read once open').to.be.undefined;
    const text = chat.shadowRoot!.querySelector('[part~="message"]')!.textContent;
    expect(text, 'the panel shows the messages so far').to.equal('before opening');
    r.chat.receive('p2', 'while open');
    await r.settle();
    expect(r.unread(), 'messages read as they come').to.be.undefined;
    const side = panel.getBoundingClientRect();
    const whole = r.el.getBoundingClientRect();
    expect(side.width, 'beside the stage on a wide screen').to.be.lessThan(whole.width / 2);
    await expect(r.el).to.be.accessible();
    chat.shadowRoot!.querySelector('textarea')!.focus();
    await sendKeys({ press: 'Escape' });
    await r.settle();
    expect(part(r.el, 'chat'), 'closed').to.be.null;
    expect(r.controls.chatOpen).to.be.false;
  });

  it('closes with its close button', async () => {
    const r = await room();
    await openChat(r);
    const close = part(r.el, 'chat')!.querySelector<HTMLButtonElement>('button.close')!;
    expect(close.textContent!.trim()).to.equal('Close the chat');
    close.click();
    await r.settle();
    expect(part(r.el, 'chat')).to.be.null;
  });

  it('takes the whole room on a phone', async () => {
    await setViewport({ width: 390, height: 700 });
    const r = await room();
    await openChat(r);
    const side = part(r.el, 'chat')!.getBoundingClientRect();
    const whole = r.el.getBoundingClientRect();
    expect(Math.round(side.width), 'full width').to.equal(Math.round(whole.width));
    expect(Math.round(side.height), 'full height').to.equal(Math.round(whole.height));
  });

  it('lets the host page veto a message: call-chat-send-request crosses the room and is cancelable', async () => {
    const r = await room();
    const chat = await openChat(r);
    document.addEventListener(
      'call-chat-send-request',
      (e) => {
        if (e.detail.text.includes('password')) e.preventDefault();
      },
      { signal: recording.signal },
    );
    const composer = chat.shadowRoot!.querySelector('textarea')!;
    composer.focus();
    composer.value = 'my password is hunter2';
    await sendKeys({ press: 'Enter' });
    composer.value = 'fine to send';
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => r.chat.sent.length > 0, 'nothing sent');
    expect(r.chat.sent).to.deep.equal(['fine to send']);
  });

  it('gives the panel the room’s strings', async () => {
    const r = await room();
    r.el.strings = { chatSend: 'Senden', closeChat: 'Chat schließen' };
    await r.settle();
    const chat = await openChat(r);
    expect(chat.shadowRoot!.querySelector('[part~="send"]')!.textContent!.trim()).to.equal('Senden');
    expect(part(r.el, 'chat')!.querySelector('button.close')!.textContent!.trim()).to.equal('Chat schließen');
  });
});
