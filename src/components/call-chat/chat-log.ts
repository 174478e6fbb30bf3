// <call-chat>'s message list, kept in the DOM by hand: a new message appends one node to its sender's group
// instead of Lit re-rendering the whole list, which cost ~0.5 ms per message on the way from the
// DataChannel to the screen (bench/README.md, chat). Entries only ever arrive at the end, leave at the start
// (the history's cap) or, for a drop notice, change in place; anything else rebuilds the list.
import type { ChatEntry, ChatMessage } from '../../core/chat-types.js';
import { appendText } from './chat-text.js';

/** Messages from one sender within this long of each other share one header. */
const GROUP_WITHIN_MS = 5 * 60_000;

/** The words the list shows, in the element's language. */
export interface ChatLogWords {
  /** The sender's name on this page's own messages. */
  readonly you: string;
  /** "N messages from X not shown". */
  dropped(count: number, name: string): string;
  /** A group's local time of day. */
  time(at: Date): string;
}

interface Group {
  readonly li: HTMLElement;
  readonly time: HTMLTimeElement;
  first: ChatMessage;
  last: ChatMessage;
  size: number;
}

interface Shown {
  entry: ChatEntry;
  /** The message's `<div>`, or the notice's `<li>`. */
  readonly node: HTMLElement;
  readonly group?: Group;
}

/** A new element with its `part`, not yet in the page: filled first, it goes in with one mutation. */
function element(tag: string, part: string): HTMLElement {
  const node = document.createElement(tag);
  node.setAttribute('part', part);
  return node;
}

export class ChatLog {
  #shown: Shown[] = [];

  constructor(
    private readonly list: HTMLElement,
    private words: ChatLogWords,
  ) {}

  /** Shows every entry again, e.g. in new words (another language). */
  rebuild(entries: readonly ChatEntry[], words = this.words): void {
    this.words = words;
    this.#shown = [];
    this.list.replaceChildren();
    for (const entry of entries) this.#append(entry);
  }

  /** Brings the list to `entries` (the chat's whole history), touching only what changed. */
  show(entries: readonly ChatEntry[]): void {
    const shown = this.#shown;
    const skip = entries.length ? shown.findIndex((s) => s.entry.id === entries[0]!.id) : shown.length;
    if (skip < 0) return this.rebuild(entries);
    for (const { node, group } of shown.splice(0, skip)) {
      node.remove();
      if (group && --group.size === 0) group.li.remove();
    }
    const head = shown[0];
    // The group whose first message left now starts at its next one.
    if (head?.group && head.group.first !== head.entry) this.#header(head.group, head.entry as ChatMessage);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const current = shown[i];
      if (!current) this.#append(entry);
      else if (current.entry.id !== entry.id) return this.rebuild(entries);
      else if (current.entry !== entry && entry.kind === 'dropped') {
        current.entry = entry;
        current.node.textContent = this.#notice(entry);
      }
    }
  }

  #append(entry: ChatEntry): void {
    if (entry.kind === 'dropped') {
      const node = element('li', 'notice');
      node.textContent = this.#notice(entry);
      this.list.append(node);
      this.#shown.push({ entry, node });
      return;
    }
    let group = this.#shown.at(-1)?.group;
    if (
      !group ||
      group.last.participantId !== entry.participantId ||
      entry.receivedAt - group.last.receivedAt >= GROUP_WITHIN_MS
    ) {
      const li = element('li', 'group');
      if (entry.own) li.className = 'own';
      const sender = element('span', 'sender');
      sender.dir = 'auto';
      sender.textContent = entry.own ? this.words.you : entry.name;
      const time = element('time', 'time') as HTMLTimeElement;
      li.appendChild(document.createElement('span')).append(sender, time);
      group = { li, time, first: entry, last: entry, size: 0 };
      this.#header(group, entry);
    }
    const node = element('div', 'message');
    node.dir = 'auto';
    appendText(node, entry.text);
    group.li.append(node);
    if (group.size === 0) this.list.append(group.li); // a new group goes in whole, with its first message

    group.last = entry;
    group.size++;
    this.#shown.push({ entry, node, group });
  }

  /** A group's time: this page's clock when its first message came, never the sender's `sentAt`. */
  #header(group: Group, first: ChatMessage): void {
    const at = new Date(first.receivedAt);
    group.first = first;
    group.time.dateTime = at.toISOString();
    group.time.textContent = this.words.time(at);
  }

  #notice(entry: Extract<ChatEntry, { kind: 'dropped' }>): string {
    return this.words.dropped(entry.count, entry.name);
  }
}
