import { BehaviorSubject, Subject } from 'rxjs';
import {
  PROTOCOL_VERSION,
  PresenceCloseCode,
  decodeServerMessage,
  encodeMessage,
  type ClientMessage,
  type ServerMessage,
} from '../protocol/index.js';

/** `open` once the server said hello; `reconnecting` while a dropped socket is retried. */
export type PresenceStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Close codes after which retrying with the same token cannot help. */
const FATAL_CLOSE_CODES = new Set<number>([
  PresenceCloseCode.protocolError,
  PresenceCloseCode.forbidden,
  PresenceCloseCode.replaced,
  PresenceCloseCode.removed,
]);

export interface PresenceClientOptions {
  /** `ws(s)://…/rooms/<room>`. */
  readonly url: string;
  /** The current room token; read on every (re)connect, so a refreshed token is used next time. */
  readonly token: () => string;
  /** Called when the server refused the token (4401): resolve true once a fresh token is in place. */
  readonly refreshToken: () => Promise<boolean>;
  /** Tests shorten these. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
}

/** Why presence stopped for good. */
export interface PresenceFailure {
  readonly code: number;
  readonly reason: string;
}

/**
 * The room presence socket: sends the token in the first frame, keeps the connection alive with pings, and
 * reconnects with jittered backoff after drops. Stops for good on the close codes that forbid retrying.
 */
export class PresenceClient {
  readonly messages$ = new Subject<ServerMessage>();
  readonly status$ = new BehaviorSubject<PresenceStatus>('connecting');
  readonly failed$ = new Subject<PresenceFailure>();

  #socket?: WebSocket;
  /** The token the current socket joined with. */
  #joinedWith = '';
  #attempt = 0;
  #retryTimer?: ReturnType<typeof setTimeout>;
  #pingTimer?: ReturnType<typeof setInterval>;
  #stopped = false;
  #refreshedForThisFailure = false;

  constructor(private readonly options: PresenceClientOptions) {}

  connect(): void {
    if (this.#stopped) return;
    const socket = new WebSocket(this.options.url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#joinedWith = this.options.token();
      socket.send(encodeMessage({ v: PROTOCOL_VERSION, type: 'join', token: this.#joinedWith }));
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      const decoded = decodeServerMessage(event.data);
      if (!decoded.ok) return; // A frame from a newer server: ignore rather than drop the call.
      if (decoded.message.type === 'hello') this.#handleHello(decoded.message.heartbeatIntervalMs);
      this.messages$.next(decoded.message);
    });
    socket.addEventListener('close', (event) => this.#handleClose(socket, event.code, event.reason));
  }

  /** Sends when connected; drops otherwise (the session re-announces its state on every hello). */
  send(message: ClientMessage): void {
    if (this.#socket?.readyState === WebSocket.OPEN && this.status$.value === 'open') {
      this.#socket.send(encodeMessage(message));
    }
  }

  /** Leaves the room and stops reconnecting. */
  close(): void {
    this.#stopped = true;
    this.#clearTimers();
    this.#socket?.close(PresenceCloseCode.normal, 'left');
    this.status$.next('closed');
    this.messages$.complete();
    this.failed$.complete();
    this.status$.complete();
  }

  #handleHello(heartbeatIntervalMs: number): void {
    this.#attempt = 0;
    this.#refreshedForThisFailure = false;
    this.status$.next('open');
    clearInterval(this.#pingTimer);
    // Pings keep intermediaries and the server's liveness sweep happy; throttled background tabs still send
    // one a minute, which the server's (longer) timeout allows for.
    this.#pingTimer = setInterval(
      () => this.send({ v: PROTOCOL_VERSION, type: 'ping' }),
      Math.max(1000, heartbeatIntervalMs),
    );
  }

  async #handleClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    if (socket !== this.#socket || this.#stopped) return;
    clearInterval(this.#pingTimer);
    if (FATAL_CLOSE_CODES.has(code)) return this.#fail(code, reason);
    if (code === PresenceCloseCode.unauthorized) {
      // A stale token: fetch a fresh one once; if the server refuses that too, give up.
      if (this.#refreshedForThisFailure || !(await this.options.refreshToken().catch(() => false))) {
        return this.#fail(code, reason);
      }
      this.#refreshedForThisFailure = true;
    }
    if (code === PresenceCloseCode.tokenExpired) {
      // Expected: the lease refreshes ahead of expiry, so the new token is usually in hand; come back at once.
      if (
        this.options.token() === this.#joinedWith &&
        !(await this.options.refreshToken().catch(() => false))
      ) {
        return this.#fail(code, reason);
      }
      this.status$.next('reconnecting');
      return this.connect();
    }
    this.status$.next('reconnecting');
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 500, maxMs: 10_000 };
    const delay = Math.min(maxMs, baseMs * 2 ** this.#attempt++) * (0.5 + Math.random() / 2);
    this.#retryTimer = setTimeout(() => this.connect(), delay);
  }

  #fail(code: number, reason: string): void {
    this.#stopped = true;
    this.#clearTimers();
    this.status$.next('closed');
    this.failed$.next({ code, reason });
  }

  #clearTimers(): void {
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
  }
}
