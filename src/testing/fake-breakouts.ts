import { BehaviorSubject, Subject, map, distinctUntilChanged } from 'rxjs';
import type {
  BreakoutNoticeEntry,
  BreakoutPlace,
  BreakoutView,
  CallBreakouts,
} from '../core/breakout-types.js';
import { mainRoom } from '../core/breakout-state.js';

/** Breakout rooms driven by a test or story: set the view, push notices, and read the commands sent. */
export class FakeBreakouts implements CallBreakouts {
  /** Commands received, e.g. `open(10)`, `assign(p1, room-1)`. */
  readonly calls: string[] = [];
  readonly #view = new BehaviorSubject<BreakoutView | undefined>(undefined);
  readonly #notices = new Subject<BreakoutNoticeEntry>();
  readonly #isHost = new BehaviorSubject(false);

  constructor(options: { isHost?: boolean; view?: BreakoutView } = {}) {
    this.#isHost.next(options.isHost ?? false);
    this.#view.next(options.view);
  }

  readonly view$ = this.#view.asObservable();
  readonly current$ = this.#view.pipe(
    map((view): BreakoutPlace => view?.current ?? mainRoom),
    distinctUntilChanged((a, b) => a.id === b.id),
  );
  readonly notices$ = this.#notices.asObservable();
  readonly isHost$ = this.#isHost.asObservable();

  setView(view: BreakoutView | undefined): void {
    this.#view.next(view);
  }

  setHost(isHost: boolean): void {
    this.#isHost.next(isHost);
  }

  notify(notice: BreakoutNoticeEntry): void {
    this.#notices.next(notice);
  }

  create(names: readonly string[], options: { allowReturn?: boolean } = {}): void {
    this.calls.push(`create(${names.join('|')}, ${String(options.allowReturn ?? false)})`);
  }
  rename(roomId: string, name: string): void {
    this.calls.push(`rename(${roomId}, ${name})`);
  }
  assign(participantId: string, roomId: string): void {
    this.calls.push(`assign(${participantId}, ${roomId})`);
  }
  shuffle(): void {
    this.calls.push('shuffle()');
  }
  open(countdownSeconds = 0): void {
    this.calls.push(`open(${countdownSeconds})`);
  }
  close(countdownSeconds?: number): void {
    this.calls.push(`close(${countdownSeconds ?? ''})`);
  }
  broadcast(text: string): void {
    this.calls.push(`broadcast(${text})`);
  }
  joinNow(): void {
    this.calls.push('joinNow()');
  }
  askForHelp(): void {
    this.calls.push('askForHelp()');
  }
  returnToMain(): void {
    this.calls.push('returnToMain()');
  }
}
