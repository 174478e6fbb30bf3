import type { ReactiveController, ReactiveElement } from 'lit';

/**
 * The content-box size of one element in the host's shadow root (found by `selector` after each render),
 * kept current with a ResizeObserver; the host re-renders when it changes.
 */
export class ElementSizeController implements ReactiveController {
  width = 0;
  height = 0;
  #observer?: ResizeObserver;
  #target?: Element;

  constructor(
    private readonly host: ReactiveElement,
    private readonly selector: string,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const target = this.host.renderRoot.querySelector(this.selector) ?? undefined;
    if (target === this.#target) return;
    this.#observer?.disconnect();
    this.#target = target;
    if (!target) return;
    this.#observer ??= new ResizeObserver(([entry]) => {
      const { inlineSize, blockSize } = entry.contentBoxSize[0] ?? { inlineSize: 0, blockSize: 0 };
      if (Math.abs(inlineSize - this.width) < 1 && Math.abs(blockSize - this.height) < 1) return;
      this.width = inlineSize;
      this.height = blockSize;
      this.host.requestUpdate();
    });
    this.#observer.observe(target);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#target = undefined;
  }
}
