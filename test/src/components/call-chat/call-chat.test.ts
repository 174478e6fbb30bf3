import { ContextProvider } from '@lit/context';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define/call-chat.js';
import { CallChat } from '../../../../src/components/call-chat/call-chat.js';
import { styles } from '../../../../src/components/call-chat/call-chat.styles.js';
import { callSessionContext } from '../../../../src/context/call-session-context.js';
import type { CallChatMessageEvent } from '../../../../src/events/call-chat-message.js';
import type { CallChatSendRequestEvent } from '../../../../src/events/call-chat-send-request.js';
import { FakeCallSession } from '../../../../src/testing/fake-call-session.js';
import type { FakeChat } from '../../../../src/testing/fake-chat.js';
import { expectTokenContract } from '../../../support/token-contract.js';

const parts = (el: CallChat, name: string) => [
  ...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`),
];
const part = (el: CallChat, name: string) => parts(el, name)[0];
const input = (el: CallChat) => part(el, 'input') as HTMLTextAreaElement;
const texts = (el: CallChat, name: string) => parts(el, name).map((p) => p.textContent!.trim());

/** Two others in the call: p1 is Grace Hopper, p2 Alan Turing; the local participant is Ada Lovelace. */
async function setup() {
  const session = new FakeCallSession({ participants: 3, withVideo: false });
  const chat = session.chat!;
  const el = await fixture<CallChat>(
    html`<call-chat .session=${session} style="height:400px;display:flex"></call-chat>`,
  );
  return { el, session, chat };
}

async function settle(el: CallChat) {
  await el.updateComplete;
  return el;
}

/** Types `text` into the composer and presses Enter, as a user does. */
async function type(el: CallChat, text: string) {
  input(el).focus();
  input(el).value = text;
  await sendKeys({ press: 'Enter' });
  await el.updateComplete;
}

let recording = new AbortController();
afterEach(() => {
  recording.abort();
  recording = new AbortController();
});

/** Collects every event of `type` that reaches the document during this test. */
function record<T extends Event>(type: string): T[] {
  const events: T[] = [];
  document.addEventListener(type, (e: Event) => events.push(e as T), { signal: recording.signal });
  return events;
}

describe('<call-chat>', () => {
  it('starts empty, says who can read the messages, and is accessible', async () => {
    const { el } = await setup();
    expect(el.matches(':state(empty)'), 'empty state').to.be.true;
    expect(part(el, 'empty')!.textContent!.trim()).to.equal('No messages yet.');
    expect(part(el, 'hint')!.textContent, 'the visibility note').to.contain(
      'Messages are visible to people in the call',
    );
    expect(part(el, 'hint')!.textContent, 'late joiners').to.contain('who join later');
    expect(part(el, 'group'), 'no messages').to.not.exist;
    expect(input(el).getAttribute('aria-label'), 'a labelled composer').to.equal('Message everyone');
    expect(part(el, 'send')!.textContent!.trim()).to.equal('Send');
    await expect(el).to.be.accessible();
  });

  it('lists messages in order, grouped by sender, with local times', async () => {
    const { el, chat } = await setup();
    const at = new Date(2030, 0, 2, 14, 5).getTime();
    chat.receive('p1', 'first', at);
    chat.receive('p1', 'second', at + 1000);
    chat.receive('p2', 'third', at + 2000);
    chat.receive('p1', 'fourth', at + 3000);
    await settle(el);
    expect(el.matches(':state(empty)'), 'no longer empty').to.be.false;
    expect(part(el, 'empty'), 'empty text gone').to.not.exist;
    expect(texts(el, 'sender'), 'one header per run of one sender').to.deep.equal([
      'Grace Hopper',
      'Alan Turing',
      'Grace Hopper',
    ]);
    expect(texts(el, 'message')).to.deep.equal(['first', 'second', 'third', 'fourth']);
    expect(parts(el, 'group')[0]!.querySelectorAll('[part~="message"]').length, 'two in the first').to.equal(
      2,
    );
    const time = part(el, 'time') as HTMLTimeElement;
    expect(time.dateTime, 'machine-readable').to.equal(new Date(at).toISOString());
    const local = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' }).format(at);
    expect(time.textContent, 'the local time of day').to.equal(local);
    await expect(el).to.be.accessible();
  });

  it('shows a new message as it arrives, without re-rendering itself (bench/README.md, chat)', async () => {
    const { el, chat } = await setup();
    chat.receive('p1', 'first');
    await settle(el);
    const group = part(el, 'group');
    chat.receive('p1', 'second');
    expect(el.isUpdatePending, 'no render queued').to.be.false;
    expect(texts(el, 'message'), 'already in the DOM').to.deep.equal(['first', 'second']);
    expect(part(el, 'group'), 'in the same group').to.equal(group);
  });

  it('starts a new group after five quiet minutes from the same sender', async () => {
    const { el, chat } = await setup();
    const at = Date.now() - 10 * 60_000;
    chat.receive('p1', 'before the break', at);
    chat.receive('p1', 'after the break', at + 6 * 60_000);
    await settle(el);
    expect(texts(el, 'sender')).to.deep.equal(['Grace Hopper', 'Grace Hopper']);
  });

  it('shows own messages as "You", set apart', async () => {
    const { el, chat } = await setup();
    chat.send('hello from me');
    await settle(el);
    expect(texts(el, 'sender')).to.deep.equal(['You']);
    expect(part(el, 'group')!.classList.contains('own'), 'styled as own').to.be.true;
  });

  it('makes http and https links clickable, safely, and nothing else', async () => {
    const { el, chat } = await setup();
    chat.receive('p1', 'see https://example.com/a?b=1, or http://example.org/x.');
    chat.receive('p1', 'javascript:alert(1) and data:text/html,<b>x</b> and ftp://example.com/f');
    chat.receive('p1', 'https://example.com/"onmouseover="alert(1)');
    await settle(el);
    const links = parts(el, 'link') as HTMLAnchorElement[];
    expect(links.map((a) => a.href)).to.deep.equal([
      'https://example.com/a?b=1',
      'http://example.org/x',
      'https://example.com/',
    ]);
    expect(links.map((a) => a.textContent)).to.deep.equal([
      'https://example.com/a?b=1',
      'http://example.org/x',
      'https://example.com/',
    ]);
    for (const a of links) {
      expect(a.target, 'opens elsewhere').to.equal('_blank');
      expect(a.rel.split(' ')).to.include.members(['noopener', 'noreferrer', 'nofollow']);
      expect(a.getAttribute('onmouseover'), 'no attribute injected').to.be.null;
    }
    const [, second, third] = parts(el, 'message');
    expect(second!.querySelector('a'), 'javascript:, data: and ftp: stay text').to.be.null;
    expect(second!.textContent).to.equal(
      'javascript:alert(1) and data:text/html,<b>x</b> and ftp://example.com/f',
    );
    expect(third!.textContent, 'the rest stays text').to.equal('https://example.com/"onmouseover="alert(1)');
    await expect(el).to.be.accessible();
  });

  it('renders XSS payloads as text', async () => {
    const { el, chat } = await setup();
    const payloads = [
      '<img src=x onerror="window.__xss = 1">',
      '<script>window.__xss = 2</script>',
      '"><svg onload="window.__xss = 3">',
      '<a href="javascript:window.__xss = 4">click</a>',
      '${window.__xss = 5}',
      '<iframe srcdoc="<script>parent.__xss = 6</script>"></iframe>',
    ];
    for (const text of payloads) chat.receive('p2', text);
    await settle(el);
    await new Promise((r) => setTimeout(r, 50)); // an onerror would have fired by now
    expect(texts(el, 'message'), 'shown as typed').to.deep.equal(payloads);
    for (const message of parts(el, 'message')) {
      expect(message.children.length, `no elements from "${message.textContent}"`).to.equal(0);
    }
    expect((window as unknown as { __xss?: number }).__xss, 'nothing ran').to.be.undefined;
  });

  it('sends names from the roster, never from the message', async () => {
    const { el, chat } = await setup();
    chat.receive('p2', '{"name":"Grace Hopper","text":"I am Grace"}');
    await settle(el);
    expect(texts(el, 'sender')).to.deep.equal(['Alan Turing']);
  });

  it('runs right-to-left text right to left (dir=auto)', async () => {
    const { el, chat } = await setup();
    chat.receive('p1', 'שלום לכולם, מה שלומכם?');
    chat.receive('p2', 'Hello everyone');
    chat.receive('p1', 'مرحبا https://example.com بالجميع');
    await settle(el);
    const [hebrew, english, arabic] = parts(el, 'message');
    for (const m of [hebrew, english, arabic]) expect(m!.getAttribute('dir')).to.equal('auto');
    expect(getComputedStyle(hebrew!).direction, 'Hebrew').to.equal('rtl');
    expect(getComputedStyle(english!).direction, 'English').to.equal('ltr');
    expect(getComputedStyle(arabic!).direction, 'Arabic with a link').to.equal('rtl');
    expect(arabic!.querySelector('a')?.href, 'the link still works').to.equal('https://example.com/');
    expect(input(el).getAttribute('dir'), 'the composer follows what is typed').to.equal('auto');
    expect(part(el, 'sender')!.getAttribute('dir'), 'names too').to.equal('auto');
    await expect(el).to.be.accessible();
  });

  it('opens at the latest message and follows new ones, unless the user scrolled up to read', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false });
    for (let i = 0; i < 40; i++) session.chat!.receive('p1', `message ${i}`);
    const el = await fixture<CallChat>(
      html`<call-chat .session=${session} style="height:300px;display:flex"></call-chat>`,
    );
    const list = part(el, 'list')!;
    const atEnd = () => list.scrollHeight - list.scrollTop - list.clientHeight < 2;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    await frame();
    expect(list.scrollHeight, 'the list scrolls').to.be.greaterThan(list.clientHeight);
    expect(atEnd(), 'opens at the latest').to.be.true;
    session.chat!.receive('p1', 'one more');
    await settle(el);
    await frame();
    expect(atEnd(), 'follows').to.be.true;
    list.scrollTop = 0;
    session.chat!.receive('p1', 'while reading');
    await settle(el);
    await frame();
    expect(list.scrollTop, 'stays where the user reads').to.equal(0);
  });

  it('keeps following through a burst of long messages, each arriving before the last scroll settled', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false });
    const el = await fixture<CallChat>(
      html`<call-chat .session=${session} style="height:200px;display:flex"></call-chat>`,
    );
    const list = part(el, 'list')!;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const long = (i: number) => `${i} ${'a long line of text '.repeat(30)}`;
    for (let i = 0; i < 6; i++) {
      session.chat!.receive('p1', long(i));
      await frame(); // scrolled to the end; its scroll event comes with the next message already in
    }
    await frame();
    await frame();
    expect(list.scrollHeight - list.scrollTop - list.clientHeight, 'at the end').to.be.lessThan(2);
  });

  it('is a polite log for screen readers', async () => {
    const { el } = await setup();
    const list = part(el, 'list')!;
    expect(list.getAttribute('role')).to.equal('log');
    expect(list.getAttribute('aria-live')).to.equal('polite');
    expect(list.getAttribute('aria-label')).to.equal('Chat');
  });

  it('shows a notice when a flood was dropped, counting up', async () => {
    const { el, chat } = await setup();
    chat.receive('p1', 'hi');
    chat.drop('p1');
    await settle(el);
    expect(texts(el, 'notice')).to.deep.equal([
      '1 message from Grace Hopper not shown: it was sent too fast.',
    ]);
    chat.drop('p1', 41);
    await settle(el);
    expect(texts(el, 'notice'), 'one notice per flood').to.deep.equal([
      '42 messages from Grace Hopper not shown: they were sent too fast.',
    ]);
    await expect(el).to.be.accessible();
  });

  it('sends with Enter, keeps Shift+Enter for a new line, and fires call-chat-message', async () => {
    const { el, chat } = await setup();
    const sent = record<CallChatMessageEvent>('call-chat-message');
    input(el).focus();
    await sendKeys({ type: 'line one' });
    await sendKeys({ press: 'Shift+Enter' });
    await sendKeys({ type: 'line two' });
    expect(chat.sent, 'Shift+Enter does not send').to.deep.equal([]);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(chat.sent).to.deep.equal(['line one\nline two']);
    expect(input(el).value, 'the composer is cleared').to.equal('');
    expect(sent.length).to.equal(1);
    expect(sent[0]!.detail.message.own).to.be.true;
    expect(sent[0]!.detail.message.text).to.equal('line one\nline two');
    expect(sent[0]!.composed && sent[0]!.bubbles, 'composed and bubbling').to.be.true;
    expect(texts(el, 'message')).to.deep.equal(['line one\nline two']);
  });

  it('sends with the Send button, without submitting the form (Chromium lays the page out for a submission)', async () => {
    const { el, chat } = await setup();
    let submissions = 0;
    part(el, 'composer')!.addEventListener('submit', () => submissions++, { signal: recording.signal });
    input(el).value = 'by button';
    part(el, 'send')!.click();
    expect(chat.sent, 'sent within the click').to.deep.equal(['by button']);
    await el.updateComplete;
    expect(submissions).to.equal(0);
    expect(input(el).value, 'the composer is cleared').to.equal('');
  });

  it('fires a cancelable call-chat-send-request first; preventDefault keeps the message unsent', async () => {
    const { el, chat } = await setup();
    const sent = record<CallChatMessageEvent>('call-chat-message');
    let sentBefore = -1;
    el.addEventListener('call-chat-send-request', () => (sentBefore = chat.sent.length), {
      signal: recording.signal,
    });
    setTimeout(() => void type(el, 'secret plans'));
    const request = (await oneEvent(el, 'call-chat-send-request')) as CallChatSendRequestEvent;
    expect(request.detail.text).to.equal('secret plans');
    expect(request.cancelable && request.composed && request.bubbles).to.be.true;
    expect(sentBefore, 'not sent before the page had its say').to.equal(0);
    await el.updateComplete;

    el.addEventListener('call-chat-send-request', (e) => e.preventDefault(), { signal: recording.signal });
    await type(el, 'blocked words');
    expect(chat.sent, 'the first went, the cancelled one did not').to.deep.equal(['secret plans']);
    expect(input(el).value, 'the cancelled text stays for editing').to.equal('blocked words');
    expect(sent.length, 'no call-chat-message for a cancelled send').to.equal(1);
  });

  it('ignores an empty message without asking the page', async () => {
    const { el, chat } = await setup();
    const requests = record('call-chat-send-request');
    await type(el, '   ');
    expect(requests.length).to.equal(0);
    expect(chat.sent).to.deep.equal([]);
    expect(part(el, 'error')).to.not.exist;
  });

  it('refuses a message over 4 KB with a clear error, and keeps the text', async () => {
    const { el, chat } = await setup();
    const long = 'x'.repeat(10 * 1024);
    await type(el, long);
    expect(chat.sent).to.deep.equal([]);
    const error = part(el, 'error')!;
    expect(error.getAttribute('role'), 'announced').to.equal('alert');
    expect(error.textContent).to.contain('at most 4 KB');
    expect(input(el).value.length, 'nothing lost').to.equal(long.length);
    await expect(el).to.be.accessible();
    await type(el, 'short');
    expect(part(el, 'error'), 'the error goes with the next sent message').to.not.exist;
  });

  it('says when sending too fast', async () => {
    const { el, chat } = await setup();
    chat.refuseNextSend('rate-limited');
    await type(el, 'again');
    expect(part(el, 'error')!.textContent).to.contain('too fast');
  });

  it('is read-only for a participant who may not send', async () => {
    const { el, chat } = await setup();
    chat.setCanSend(false);
    await settle(el);
    expect(el.matches(':state(read-only)')).to.be.true;
    expect(part(el, 'composer'), 'no composer').to.not.exist;
    expect(texts(el, 'hint').join(' ')).to.contain('does not let you send');
    chat.receive('p1', 'still readable');
    await settle(el);
    expect(texts(el, 'message')).to.deep.equal(['still readable']);
    await expect(el).to.be.accessible();
  });

  it('fires no events for messages that arrive or a session set by script', async () => {
    const { el, chat } = await setup();
    const messages = record('call-chat-message');
    const requests = record('call-chat-send-request');
    chat.receive('p1', 'from elsewhere');
    el.session = new FakeCallSession({ participants: 2, withVideo: false });
    await settle(el);
    expect(messages.length + requests.length).to.equal(0);
  });

  it('takes its words from the translation and from strings', async () => {
    const { el } = await setup();
    el.strings = { chatSend: 'Go', chatPlaceholder: 'Say something' };
    await settle(el);
    expect(part(el, 'send')!.textContent!.trim()).to.equal('Go');
    expect(input(el).placeholder).to.equal('Say something');
  });

  it('renders every documented part', async () => {
    const { el, chat } = await setup();
    chat.receive('p1', 'a link https://example.com');
    chat.drop('p2', 3);
    chat.refuseNextSend('not-connected');
    await type(el, 'x');
    for (const p of ['hint', 'list', 'group', 'sender', 'time', 'message', 'link', 'notice', 'composer']) {
      expect(part(el, p), `part ${p}`).to.exist;
    }
    for (const p of ['input', 'send', 'error']) expect(part(el, p), `part ${p}`).to.exist;
    expect(part(el, 'error')!.textContent).to.contain('not connected');
    const empty = await setup();
    expect(part(empty.el, 'empty'), 'part empty').to.exist;
  });

  it('takes the session from a provider and ends every subscription on disconnect', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false });
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    new ContextProvider(holder, { context: callSessionContext, initialValue: session }).hostConnected();
    const el = document.createElement('call-chat');
    holder.append(el);
    await el.updateComplete;
    (session.chat as FakeChat).receive('p1', 'via context');
    await el.updateComplete;
    expect(texts(el, 'message')).to.deep.equal(['via context']);
    expect(session.activeSubscriptions, 'messages and canSend').to.equal(2);
    el.remove();
    expect(session.activeSubscriptions, 'subscriptions after remove').to.equal(0);
  });

  it('reads tokens with literal fallbacks and declares no public ones', () => {
    expectTokenContract(CallChat.styles, styles);
  });
});
