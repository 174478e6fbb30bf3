// Hooks the benchmark probes install in a page (bundled into each probe): what its presence WebSockets say,
// and when a <video> is given a stream. Each probe decides what to record.

/** Hooks on every WebSocket the page opens. */
export interface WebSocketHooks {
  created?(): void;
  open?(): void;
  /** The `type` of each JSON message received. */
  received(type: string): void;
  /** Each text frame sent. */
  sent?(data: string): void;
  /** The page's own `message` listeners returned, for a JSON message of this `type`. */
  handled?(type: string): void;
}

const typeOf = (data: unknown): string | undefined => {
  try {
    const type = (JSON.parse(String(data)) as { type?: unknown }).type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined; // not JSON: not ours
  }
};

export function hookWebSockets(hooks: WebSocketHooks): void {
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      hooks.created?.();
      if (hooks.open) super.addEventListener('open', () => hooks.open?.());
      // Before the page's own listeners (added after the constructor), and not wrapped like theirs below.
      super.addEventListener('message', (event: MessageEvent) => {
        const type = typeOf(event.data);
        if (type) hooks.received(type);
      });
    }
    override addEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ): void {
      const { handled } = hooks;
      if (type !== 'message' || !handled || typeof listener !== 'function') {
        super.addEventListener(type, listener, options);
        return;
      }
      super.addEventListener(
        type,
        function (this: WebSocket, event: Event) {
          listener.call(this, event);
          const messageType = typeOf((event as MessageEvent).data);
          if (messageType) handled(messageType);
        },
        options,
      );
    }
    override send(data: Parameters<WebSocket['send']>[0]) {
      if (typeof data === 'string') hooks.sent?.(data);
      super.send(data);
    }
  };
}

/** Calls `attached` each time a <video> is given a MediaStream; false when srcObject cannot be hooked. */
export function onVideoStream(attached: (video: HTMLVideoElement, stream: MediaStream) => void): boolean {
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  if (!srcObject?.set || !srcObject.get) return false;
  const { get, set } = srcObject;
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    configurable: true,
    enumerable: srcObject.enumerable,
    get,
    set(this: HTMLMediaElement, value: MediaProvider | null) {
      set.call(this, value);
      if (this instanceof HTMLVideoElement && value instanceof MediaStream) attached(this, value);
    },
  });
  return true;
}
