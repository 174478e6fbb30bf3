import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import type { BreakoutNoticeEntry, BreakoutView } from '../../core/breakout-types.js';
import type { CallSessionLike } from '../../core/types.js';
import { BaseElement } from '../../internal/base-element.js';
import { MAIN_ROOM_ID } from '../../protocol/index.js';
import { tokenStyles } from '../../styles/tokens.js';
import type { Translation } from '../../translations/en.js';
import { styles } from './breakout-banner.styles.js';

/**
 * A participant's view of breakout rooms, over the call: where they are going (with a countdown and "Join
 * now"), where they are (with "Ask for help" and, if the host allows, "Back to main room"), that the rooms are
 * closing, and the hosts' messages. Renders nothing while there is nothing to say. Works inside a
 * `<call-room>` (which shows it over the stage) or anywhere with `.session`.
 *
 * @summary Where you are among the breakout rooms, and what you can do there.
 * @status experimental
 * @since 0.1.0
 *
 * @csspart base - The banner.
 * @csspart text - What it says.
 * @csspart button - Join now, Ask for help, Back to main room and Dismiss.
 * @csspart message - A host's message to all rooms.
 *
 * @cssprop --call-breakout-banner-background - Behind the banner. Default: var(--call-color-surface-raised, #f1f3f4).
 * @cssprop --call-breakout-banner-color - Text colour. Default: var(--call-color-on-surface, #1f1f1f).
 * @cssprop --call-breakout-banner-accent - The edge and the main button. Default: var(--call-color-accent, #1a73e8).
 *
 * @cssstate in-breakout - The user is in a breakout room.
 * @cssstate going - The user is about to move (the opening countdown runs).
 * @cssstate closing - The rooms close soon.
 */
export class BreakoutBanner extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, styles];

  // PUBLIC API
  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  // INTERNAL STATE
  readonly #session = new SessionConsumer(this);
  readonly #t = new LocalizeController(this, () => this.strings);
  readonly #view = new ObservableController<BreakoutView | undefined>(
    this,
    () => this.#session.value?.breakouts?.view$,
  );
  @state() private message?: BreakoutNoticeEntry;
  @state() private helpSent = false;
  @state() private now = Date.now();
  #ticker?: ReturnType<typeof setInterval>;

  constructor() {
    super();
    new ObservableController<BreakoutNoticeEntry>(
      this,
      () => this.#session.value?.breakouts?.notices$,
      (notice) => {
        if (notice.kind === 'message') this.message = notice;
      },
    );
  }

  // LIFECYCLE
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  protected override updated(): void {
    const view = this.#view.value;
    const inBreakout = view !== undefined && view.current.id !== MAIN_ROOM_ID;
    this.setCustomState('in-breakout', inBreakout);
    this.setCustomState('going', this.#going(view));
    this.setCustomState('closing', view?.phase === 'closing');
    if (!inBreakout) this.helpSent = false;
    const counting = view?.countdownEndsAt !== undefined;
    if (counting && !this.#ticker) this.#ticker = setInterval(() => (this.now = Date.now()), 1000);
    if (!counting && this.#ticker) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  #going(view: BreakoutView | undefined): boolean {
    return (
      view?.phase === 'opening' && view.assigned.id !== MAIN_ROOM_ID && view.current.id !== view.assigned.id
    );
  }

  #secondsLeft(view: BreakoutView): number {
    return Math.max(0, Math.ceil(((view.countdownEndsAt ?? 0) - this.now) / 1000));
  }

  // HANDLERS
  #askForHelp(): void {
    this.#session.value?.breakouts?.askForHelp();
    this.helpSent = true;
  }

  // RENDERING
  protected override render() {
    const view = this.#view.value;
    const line = view ? this.#renderLine(view) : nothing;
    if (line === nothing && !this.message) return nothing;
    return html`<div part="base" role="status" aria-live="polite">
      ${line}
      ${
        this.message
          ? html`<p part="message">
              <span
                >${this.#t.term('breakoutMessageFrom', this.message.from.name, this.message.text ?? '')}</span
              >
              <button part="button" type="button" @click=${() => (this.message = undefined)}>
                ${this.#t.term('dismiss')}
              </button>
            </p>`
          : nothing
      }
    </div>`;
  }

  #renderLine(view: BreakoutView) {
    const b = () => this.#session.value?.breakouts;
    const back = html`<button part="button" type="button" @click=${() => b()?.returnToMain()}>
      ${this.#t.term('breakoutBackToMain')}
    </button>`;
    if (this.#going(view)) {
      return html`<p part="text">
        <span>${this.#t.term('breakoutGoingTo', view.assigned.name, this.#secondsLeft(view))}</span>
        <button part="button" class="primary" type="button" @click=${() => b()?.joinNow()}>
          ${this.#t.term('breakoutJoinNow')}
        </button>
      </p>`;
    }
    if (view.current.id === MAIN_ROOM_ID) return nothing;
    if (view.phase === 'closing') {
      return html`<p part="text">
        <span>${this.#t.term('breakoutClosingIn', this.#secondsLeft(view))}</span> ${back}
      </p>`;
    }
    return html`<p part="text">
      <span>${this.#t.term('breakoutYouAreIn', view.current.name)}</span>
      ${
        view.isHost
          ? nothing
          : this.helpSent
            ? html`<span class="sent">${this.#t.term('breakoutHelpSent')}</span>`
            : html`<button part="button" type="button" @click=${this.#askForHelp}>
                ${this.#t.term('breakoutAskHelp')}
              </button>`
      }
      ${view.allowReturn || view.isHost ? back : nothing}
    </p>`;
  }
}
