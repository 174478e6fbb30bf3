// Runs inside a page (passed to page.evaluate): what the <call-chat> of the first <call-room> shows, read
// through shadow roots. Also wraps createDataChannel so a test can send hand-crafted bytes on the page's own
// published chat channel, as a modified client would.

export interface ChatGroupSnapshot {
  sender: string;
  texts: string[];
  /** How many elements the message texts contain (links only; anything else is a bug). */
  elements: string[];
}

export interface ChatSnapshot {
  /** The panel is open and its element has rendered. */
  open: boolean;
  groups: ChatGroupSnapshot[];
  notices: string[];
  error: string;
  /** The composer shows (the participant may send). */
  canSend: boolean;
  hints: string[];
}

export function callChatProbe(): ChatSnapshot {
  const room = document.querySelector('call-room');
  const chat = room?.shadowRoot?.querySelector('[part~="chat"] call-chat');
  const root = chat?.shadowRoot;
  // No named inner functions here: tsx would wrap them in a helper the page doesn't have.
  return {
    open: !!root?.querySelector('[part~="list"]'),
    groups: [...(root?.querySelectorAll('[part~="group"]') ?? [])].map((group) => {
      const messages = [...group.querySelectorAll('[part~="message"]')];
      return {
        sender: group.querySelector('[part~="sender"]')?.textContent?.trim() ?? '',
        texts: messages.map((m) => m.textContent ?? ''),
        elements: messages.flatMap((m) => [...m.querySelectorAll('*')].map((e) => e.localName)),
      };
    }),
    notices: [...(root?.querySelectorAll('[part~="notice"]') ?? [])].map((n) =>
      (n.textContent ?? '').replace(/\s+/g, ' ').trim(),
    ),
    error: root?.querySelector('[part~="error"]')?.textContent?.trim() ?? '',
    canSend: !!root?.querySelector('[part~="composer"]'),
    hints: [...(root?.querySelectorAll('[part~="hint"]') ?? [])].map((h) => h.textContent?.trim() ?? ''),
  };
}

/** Every message text a snapshot shows, in order, with its sender. */
export function chatLines(snapshot: ChatSnapshot): { sender: string; text: string }[] {
  return snapshot.groups.flatMap((g) => g.texts.map((text) => ({ sender: g.sender, text })));
}

/** Polls the page's chat until `test` holds; fails with the last snapshot otherwise. */
export async function waitForChat(
  page: { evaluate(fn: () => ChatSnapshot): Promise<ChatSnapshot> },
  test: (s: ChatSnapshot) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<ChatSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: ChatSnapshot | undefined;
  while (Date.now() < deadline) {
    last = await page.evaluate(callChatProbe);
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}; last snapshot: ${JSON.stringify(last).slice(0, 2000)}`);
}

/**
 * An init script: keeps the page's chat channels, so a test can write raw bytes to its own published one
 * (`window.__ownChatChannel`, as a modified client would), count its open subscriptions
 * (`window.__subscribedChatChannels`), and hear each received message before the widget does
 * (`window.__onChatMessage`).
 */
export function keepChatChannels(): void {
  const w = window as unknown as {
    __ownChatChannel?: RTCDataChannel;
    __subscribedChatChannels: RTCDataChannel[];
    __onChatMessage?: (event: MessageEvent) => void;
  };
  w.__subscribedChatChannels = [];
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (
    this: RTCPeerConnection,
    label: string,
    init?: RTCDataChannelInit,
  ) {
    const channel = create.call(this, label, init);
    if (label.startsWith('chat-') && label.endsWith('-subscribed')) {
      w.__subscribedChatChannels.push(channel);
      // Registered before the widget's own handler: hears a message before the chat does.
      channel.addEventListener('message', (e) => w.__onChatMessage?.(e));
    } else if (label.startsWith('chat-')) w.__ownChatChannel = channel;
    return channel;
  };
}

/** How many chat subscriptions of the page are open (run in the page). */
export function openChatSubscriptions(): number {
  const w = window as unknown as { __subscribedChatChannels?: RTCDataChannel[] };
  return (w.__subscribedChatChannels ?? []).filter((c) => c.readyState === 'open').length;
}

/** Whether the page's own chat channel is open, so its messages go out (run in the page). */
export function ownChatChannelOpen(): boolean {
  return (window as unknown as { __ownChatChannel?: RTCDataChannel }).__ownChatChannel?.readyState === 'open';
}
