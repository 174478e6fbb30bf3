import { LitElement, css, type CSSResultGroup } from 'lit';

/** Tags we register; also the version that registered them, so a second copy on the page can tell. */
const OWNER_MARK = Symbol.for('call-elements.owner');
const LIBRARY_VERSION = '0.1.0';

type MarkedConstructor = CustomElementConstructor & { [OWNER_MARK]?: string };

/**
 * Shared base of every call-elements element: host styles, custom states and safe registration.
 * @internal
 */
export class BaseElement extends LitElement {
  // !important here beats a host page's `!important` on our tags (inner-context important rules win), so a
  // page that resets everything cannot collapse the widget. Sites theme fonts through the --call-* tokens.
  static override styles: CSSResultGroup = css`
    :host {
      box-sizing: border-box !important;
      font-family: var(
        --call-font-family,
        system-ui,
        -apple-system,
        'Segoe UI',
        Roboto,
        sans-serif
      ) !important;
      font-size: var(--call-font-size-m, 14px) !important;
      line-height: 1.4 !important;
      font-weight: normal;
      text-align: start;
    }
    :host *,
    :host *::before,
    :host *::after {
      box-sizing: inherit;
    }
    :host([hidden]) {
      display: none !important;
    }
  `;

  /**
   * Registers `tag` for this class. Quiet when this library already owns the tag (the script loaded twice);
   * logs one clear error, instead of throwing, when a different element already owns it.
   */
  static define(tag: string): void {
    const existing = customElements.get(tag) as MarkedConstructor | undefined;
    if (existing === this) return;
    if (existing) {
      const owner = existing[OWNER_MARK];
      if (owner === LIBRARY_VERSION) return;
      if (owner)
        console.warn(`call-elements: <${tag}> is already defined by call-elements ${owner}; keeping it.`);
      else
        console.error(
          `call-elements: <${tag}> is already defined by another library; ours was not registered.`,
        );
      return;
    }
    (this as MarkedConstructor)[OWNER_MARK] = LIBRARY_VERSION;
    customElements.define(tag, this);
  }

  #internals?: ElementInternals;

  /** Turns a custom state (`:state(name)` in CSS) on or off. */
  protected setCustomState(name: string, on: boolean): void {
    this.#internals ??= this.attachInternals();
    const states = this.#internals.states;
    if (on) states.add(name);
    else states.delete(name);
  }
}
