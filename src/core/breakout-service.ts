// Breakout rooms on a live call: sends the host's and participant's requests, and keeps the plan as the server
// last said it. Moving itself needs nothing here: the server re-scopes presence (`breakout-moved`), the room
// state follows, and the pull set closes the old room's pulls and opens the new one's, each in one batch.
import {
  BehaviorSubject,
  Subject,
  distinctUntilChanged,
  map,
  type Observable,
  type Subscription,
} from 'rxjs';
import {
  PROTOCOL_VERSION,
  type BreakoutRequest,
  type ClientMessage,
  type ServerMessage,
} from '../protocol/index.js';
import { breakoutView, mainRoom, placeOf } from './breakout-state.js';
import type { BreakoutNoticeEntry, BreakoutPlace, BreakoutView, CallBreakouts } from './breakout-types.js';

/** What breakouts need from a live call. */
export interface BreakoutAttachment {
  readonly messages$: Observable<ServerMessage>;
  /** The local participant's id, once presence said hello. */
  readonly selfId: () => string | undefined;
  send(message: ClientMessage): void;
}

export class BreakoutService implements CallBreakouts {
  readonly #view = new BehaviorSubject<BreakoutView | undefined>(undefined);
  readonly #current = new BehaviorSubject<BreakoutPlace>(mainRoom);
  readonly #notices = new Subject<BreakoutNoticeEntry>();
  readonly #isHost = new BehaviorSubject(false);
  #send: ((message: ClientMessage) => void) | undefined;

  readonly view$: Observable<BreakoutView | undefined> = this.#view.asObservable();
  readonly current$: Observable<BreakoutPlace> = this.#current.pipe(
    distinctUntilChanged((a, b) => a.id === b.id && a.name === b.name),
  );
  readonly notices$: Observable<BreakoutNoticeEntry> = this.#notices.asObservable();
  readonly isHost$: Observable<boolean> = this.#isHost.pipe(distinctUntilChanged());
  /** The view's phase, for elements that only need to know whether rooms are open. */
  readonly phase$ = this.#view.pipe(
    map((view) => view?.phase ?? 'closed'),
    distinctUntilChanged(),
  );

  /** Follows a live call's presence; the returned subscription ends it. */
  attach(call: BreakoutAttachment): Subscription {
    this.#send = (message) => call.send(message);
    const sub = call.messages$.subscribe((message) => this.#receive(message, call.selfId()));
    sub.add(() => {
      this.#send = undefined;
      this.clear();
    });
    return sub;
  }

  /** Forgets everything (the call ended). */
  clear(): void {
    this.#view.next(undefined);
    this.#current.next(mainRoom);
    this.#isHost.next(false);
  }

  create(names: readonly string[], options: { allowReturn?: boolean } = {}): void {
    this.#request({ action: 'configure', rooms: [...names], ...options });
  }

  rename(roomId: string, name: string): void {
    this.#request({ action: 'rename', roomId, name });
  }

  assign(participantId: string, roomId: string): void {
    this.#request({ action: 'assign', participantId, roomId });
  }

  shuffle(): void {
    this.#request({ action: 'shuffle' });
  }

  open(countdownSeconds = 0): void {
    this.#request({ action: 'open', countdownSeconds });
  }

  close(countdownSeconds?: number): void {
    this.#request({ action: 'close', ...(countdownSeconds !== undefined && { countdownSeconds }) });
  }

  broadcast(text: string): void {
    this.#request({ action: 'broadcast', text });
  }

  joinNow(): void {
    this.#request({ action: 'join-now' });
  }

  askForHelp(): void {
    this.#request({ action: 'help' });
  }

  returnToMain(): void {
    this.#request({ action: 'return' });
  }

  #request(request: BreakoutRequest): void {
    this.#send?.({ v: PROTOCOL_VERSION, type: 'breakout', request });
  }

  #receive(message: ServerMessage, selfId: string | undefined): void {
    switch (message.type) {
      case 'breakouts': {
        const view = breakoutView(message, selfId, Date.now());
        this.#view.next(view);
        this.#current.next(view.current);
        return;
      }
      case 'breakout-moved':
        // Arrives before the plan that says so: where we are changes with the roster.
        this.#current.next(placeOf(this.#view.value?.rooms ?? [], message.roomId));
        return;
      case 'breakout-notice': {
        const room = placeOf(this.#view.value?.rooms ?? [], message.roomId);
        const { kind, from, text } = message;
        this.#notices.next({ kind, from, room, at: Date.now(), ...(text !== undefined && { text }) });
        return;
      }
      case 'hello':
        // A new socket: the server sends the plan again if there is one.
        this.#isHost.next(message.self.canModerate);
        if (!this.#view.value) this.#current.next(mainRoom);
        return;
    }
  }
}
