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
}

export function hookWebSockets(hooks: WebSocketHooks): void {
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      hooks.created?.();
      if (hooks.open) this.addEventListener('open', () => hooks.open?.());
      this.addEventListener('message', (event: MessageEvent) => {
        try {
          const type = (JSON.parse(String(event.data)) as { type?: unknown }).type;
          if (typeof type === 'string') hooks.received(type);
        } catch {
          // not JSON: not ours
        }
      });
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
