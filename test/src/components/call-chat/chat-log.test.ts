import { expect } from '@open-wc/testing';
import { ChatLog, type ChatLogWords } from '../../../../src/components/call-chat/chat-log.js';
import type { ChatDropNotice, ChatEntry, ChatMessage } from '../../../../src/core/chat-types.js';

const words: ChatLogWords = {
  you: 'You',
  dropped: (count, name) => `${count} from ${name} dropped`,
  time: (at) => `t${at.getTime()}`,
};

let ids = 0;
const message = (participantId: string, text: string, receivedAt: number, own = false): ChatMessage => ({
  kind: 'message',
  id: `m${++ids}`,
  participantId,
  name: participantId.toUpperCase(),
  text,
  sentAt: receivedAt,
  receivedAt,
  own,
});
const notice = (participantId: string, count: number, id = `d${++ids}`): ChatDropNotice => ({
  kind: 'dropped',
  id,
  participantId,
  name: participantId.toUpperCase(),
  count,
  receivedAt: 0,
});

function setup() {
  const list = document.createElement('ol');
  return { list, log: new ChatLog(list, words) };
}
const parts = (list: HTMLElement, name: string) => [
  ...list.querySelectorAll<HTMLElement>(`[part~="${name}"]`),
];
const texts = (list: HTMLElement, name: string) => parts(list, name).map((p) => p.textContent);

describe('ChatLog', () => {
  it('groups runs of one sender under one header, this page’s own as "You"', () => {
    const { list, log } = setup();
    const entries = [
      message('a', 'one', 1000),
      message('a', 'two', 2000),
      message('b', 'three', 3000),
      message('me', 'mine', 4000, true),
      message('a', 'later', 4000 + 5 * 60_000),
    ];
    log.show(entries);
    expect(texts(list, 'sender')).to.deep.equal(['A', 'B', 'You', 'A']);
    expect(texts(list, 'message')).to.deep.equal(['one', 'two', 'three', 'mine', 'later']);
    expect(texts(list, 'time')).to.deep.equal(['t1000', 't3000', 't4000', `t${4000 + 5 * 60_000}`]);
    expect((parts(list, 'time')[0] as HTMLTimeElement).dateTime).to.equal(new Date(1000).toISOString());
    expect(parts(list, 'group').map((g) => g.className)).to.deep.equal(['', '', 'own', '']);
    for (const m of parts(list, 'message')) expect(m.dir).to.equal('auto');
  });

  it('appends a new message without touching those already shown', () => {
    const { list, log } = setup();
    const entries: ChatEntry[] = [message('a', 'one', 1000), message('b', 'two', 2000)];
    log.show(entries);
    const before = [...list.querySelectorAll('*')];
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((r) => records.push(...r));
    observer.observe(list, { childList: true, subtree: true, attributes: true, characterData: true });
    log.show([...entries, message('b', 'three', 2500)]);
    records.push(...observer.takeRecords());
    expect(records.length, 'one node added').to.equal(1);
    expect(records[0]!.addedNodes[0]!.textContent).to.equal('three');
    expect(
      before.every((node) => list.contains(node)),
      'the others stay',
    ).to.be.true;
    expect(texts(list, 'message')).to.deep.equal(['one', 'two', 'three']);
  });

  it('counts a drop notice up in place, and a notice ends a group', () => {
    const { list, log } = setup();
    const first = message('a', 'hi', 1000);
    log.show([first, notice('a', 1, 'd-x')]);
    const node = parts(list, 'notice')[0];
    log.show([first, notice('a', 5, 'd-x'), message('a', 'again', 2000)]);
    expect(texts(list, 'notice')).to.deep.equal(['5 from A dropped']);
    expect(parts(list, 'notice')[0], 'the same node').to.equal(node);
    expect(texts(list, 'sender'), 'a new group after the notice').to.deep.equal(['A', 'A']);
  });

  it('lets the oldest go when the history is capped, and the group keeps a header of its first message', () => {
    const { list, log } = setup();
    const [a1, a2, b1, b2] = [
      message('a', 'a1', 1000),
      message('a', 'a2', 2000),
      message('b', 'b1', 3000),
      message('b', 'b2', 4000),
    ];
    log.show([a1!, a2!, b1!, b2!]);
    log.show([a2!, b1!, b2!]);
    expect(texts(list, 'message')).to.deep.equal(['a2', 'b1', 'b2']);
    expect(texts(list, 'time'), 'the header moved to a2').to.deep.equal(['t2000', 't3000']);
    log.show([b2!, message('c', 'c1', 5000)]);
    expect(texts(list, 'sender')).to.deep.equal(['B', 'C']);
    expect(texts(list, 'message')).to.deep.equal(['b2', 'c1']);
    expect(texts(list, 'time')).to.deep.equal(['t4000', 't5000']);
    expect(parts(list, 'group').length, 'empty groups removed').to.equal(2);
  });

  it('starts over for a history it does not continue (cleared, another call) and in new words', () => {
    const { list, log } = setup();
    log.show([message('a', 'old', 1000)]);
    log.show([message('b', 'new', 2000)]);
    expect(texts(list, 'message')).to.deep.equal(['new']);
    log.show([]);
    expect(list.children.length).to.equal(0);
    const mine = [message('me', 'mine', 1000, true)];
    log.show(mine);
    log.rebuild(mine, { ...words, you: 'Du' });
    expect(texts(list, 'sender')).to.deep.equal(['Du']);
  });

  it('makes links of http(s) URLs only, and text of everything else', () => {
    const { list, log } = setup();
    log.show([message('a', 'see https://example.com/x. <b>not bold</b> javascript:alert(1)', 1000)]);
    const [link] = parts(list, 'link') as HTMLAnchorElement[];
    expect(link!.href).to.equal('https://example.com/x');
    expect(link!.textContent).to.equal('https://example.com/x');
    expect(link!.rel).to.equal('noopener noreferrer nofollow');
    expect(link!.target).to.equal('_blank');
    expect(parts(list, 'message')[0]!.textContent).to.equal(
      'see https://example.com/x. <b>not bold</b> javascript:alert(1)',
    );
    expect(list.querySelector('b'), 'no markup').to.be.null;
  });
});
