import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Observable, Subscription } from 'rxjs';

/**
 * Keeps the latest value of an observable and re-renders the host on each emission (unless `rerender` says the
 * value needs none: it showed it itself). Subscribes while the host is connected; when `select()` returns a
 * different observable (its inputs changed), it switches streams.
 */
export class ObservableController<T> implements ReactiveController {
  value: T | undefined;
  #source: Observable<T> | undefined;
  #subscription: Subscription | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly select: () => Observable<T> | undefined,
    private readonly onValue?: (value: T) => void,
    private readonly rerender?: (value: T) => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow(this.select());
  }

  hostUpdate(): void {
    const next = this.select();
    if (next !== this.#source) this.#follow(next);
  }

  hostDisconnected(): void {
    this.#follow(undefined);
  }

  #follow(source: Observable<T> | undefined): void {
    this.#subscription?.unsubscribe();
    this.#source = source;
    this.value = undefined;
    this.#subscription = source?.subscribe((value) => {
      this.value = value;
      this.onValue?.(value);
      if (this.rerender?.(value) ?? true) this.host.requestUpdate();
    });
  }
}
