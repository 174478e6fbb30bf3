import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import type { BreakoutNoticeEntry, BreakoutView } from '../../core/breakout-types.js';
import type { CallSessionLike } from '../../core/types.js';
import { BaseElement } from '../../internal/base-element.js';
import { MAIN_ROOM_ID, MAX_BREAKOUT_ROOMS } from '../../protocol/index.js';
import { tokenStyles } from '../../styles/tokens.js';
import { visuallyHiddenStyles } from '../../styles/visually-hidden.js';
import type { Translation } from '../../translations/en.js';
import { styles } from './breakout-panel.styles.js';

/** Calls for help kept in the list. */
const MAX_HELP = 5;
const OPEN_COUNTDOWN_SECONDS = 10;

/**
 * The host's breakout rooms: create N rooms and name them, assign people by hand or shuffle them evenly, open
 * the rooms (optionally after a countdown), send a message to all rooms, move people while open, and close
 * them (everyone returns after a short countdown). Calls for help show here. Renders nothing for a participant
 * whose token has no `canModerate` (the server refuses their host actions anyway). Works inside a
 * `<call-room>` (the people panel shows it) or anywhere with `.session`.
 *
 * @summary Host controls for breakout rooms.
 * @status experimental
 * @since 0.1.0
 *
 * @csspart base - The section around everything, named by the heading.
 * @csspart heading - The "Breakout rooms" heading.
 * @csspart phase - Whether the rooms are open, with the countdown.
 * @csspart rooms - The list of room names.
 * @csspart room-name - A room's name field.
 * @csspart people - The list of people with their room.
 * @csspart assign - A person's room picker.
 * @csspart actions - The row of main buttons.
 * @csspart button - Every button.
 * @csspart message - The message-to-all-rooms form.
 * @csspart help - The calls for help.
 *
 * @cssprop --call-breakout-panel-background - Behind the panel. Default: var(--call-color-surface, #ffffff).
 * @cssprop --call-breakout-panel-color - Text colour. Default: var(--call-color-on-surface, #1f1f1f).
 * @cssprop --call-breakout-panel-padding - Space around the content. Default: var(--call-space-m, 12px).
 *
 * @cssstate host - The local user may manage breakout rooms (the panel shows).
 * @cssstate open - The rooms are open (or opening).
 * @cssstate help-requested - Someone asked for help.
 */
export class BreakoutPanel extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, visuallyHiddenStyles, styles];

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
  readonly #isHost = new ObservableController<boolean>(this, () => this.#session.value?.breakouts?.isHost$);
  @state() private roomCount = 2;
  @state() private countdown = false;
  @state() private allowReturn = false;
  @state() private editing = false;
  @state() private help: readonly BreakoutNoticeEntry[] = [];
  @state() private now = Date.now();
  #ticker?: ReturnType<typeof setInterval>;

  constructor() {
    super();
    new ObservableController<BreakoutNoticeEntry>(
      this,
      () => this.#session.value?.breakouts?.notices$,
      (notice) => {
        if (notice.kind === 'help') this.help = [notice, ...this.help].slice(0, MAX_HELP);
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
    this.setCustomState('host', this.#host());
    this.setCustomState('open', view?.phase === 'open' || view?.phase === 'opening');
    this.setCustomState('help-requested', this.help.length > 0);
    // The countdown ticks only while one runs.
    const counting = view?.countdownEndsAt !== undefined;
    if (counting && !this.#ticker) this.#ticker = setInterval(() => (this.now = Date.now()), 1000);
    if (!counting && this.#ticker) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  /** Only hosts see the panel. */
  #host(): boolean {
    return this.#isHost.value ?? false;
  }

  // HANDLERS
  #create(): void {
    const names = Array.from({ length: this.roomCount }, (_, i) =>
      this.#t.term('breakoutDefaultName', i + 1),
    );
    this.#session.value?.breakouts?.create(names, { allowReturn: this.allowReturn });
    this.editing = false;
  }

  #rename(roomId: string, event: Event): void {
    const name = (event.target as HTMLInputElement).value.trim();
    if (name) this.#session.value?.breakouts?.rename(roomId, name);
  }

  #assign(personId: string, event: Event): void {
    this.#session.value?.breakouts?.assign(personId, (event.target as HTMLSelectElement).value);
  }

  #send(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = form.elements.namedItem('text') as HTMLInputElement;
    const text = input.value.trim();
    if (!text) return;
    this.#session.value?.breakouts?.broadcast(text);
    input.value = '';
  }

  #goTo(roomId: string): void {
    const view = this.#view.value;
    const self = view?.people.find((p) => p.canModerate && p.current === view.current.id);
    if (self) this.#session.value?.breakouts?.assign(self.id, roomId);
    this.help = this.help.filter((h) => h.room.id !== roomId);
  }

  // RENDERING
  protected override render() {
    if (!this.#host()) return nothing;
    const view = this.#view.value;
    const configuring = !view || view.rooms.length === 0 || (this.editing && view.phase === 'closed');
    return html`<section part="base" aria-labelledby="heading">
      <h2 part="heading" id="heading">${this.#t.term('breakoutRooms')}</h2>
      ${configuring ? this.#renderCreate() : this.#renderPlan(view)}
    </section>`;
  }

  #renderCreate() {
    return html`<div class="create">
      <label class="field">
        <span>${this.#t.term('breakoutRoomCount')}</span>
        <input
          type="number"
          min="1"
          max=${MAX_BREAKOUT_ROOMS}
          .value=${String(this.roomCount)}
          @input=${(e: Event) => {
            const n = Number((e.target as HTMLInputElement).value);
            if (Number.isInteger(n)) this.roomCount = Math.min(MAX_BREAKOUT_ROOMS, Math.max(1, n));
          }}
        />
      </label>
      <label class="check">
        <input
          type="checkbox"
          .checked=${this.allowReturn}
          @change=${(e: Event) => (this.allowReturn = (e.target as HTMLInputElement).checked)}
        />
        ${this.#t.term('breakoutAllowReturn')}
      </label>
      <div part="actions">
        <button part="button" class="primary" type="button" @click=${this.#create}>
          ${this.#t.term('breakoutCreate')}
        </button>
      </div>
    </div>`;
  }

  #renderPlan(view: BreakoutView) {
    const closed = view.phase === 'closed';
    const open = view.phase === 'open';
    const b = () => this.#session.value?.breakouts;
    const people = view.people.filter(
      (p) => !p.canModerate || p.current !== MAIN_ROOM_ID || p.assigned !== MAIN_ROOM_ID,
    );
    return html`
      <p part="phase" role="status">${this.#phaseText(view)}</p>
      <ul part="rooms">
        ${view.rooms.map(
          (room, i) =>
            html`<li>
              <input
                part="room-name"
                aria-label=${this.#t.term('breakoutRoomName', i + 1)}
                maxlength="64"
                .value=${room.name}
                @change=${(e: Event) => this.#rename(room.id, e)}
              />
              ${this.#renderCount(view.people.filter((p) => (open ? p.current : p.assigned) === room.id).length)}
            </li>`,
        )}
      </ul>
      <ul part="people">
        ${people.map(
          (person) =>
            html`<li>
              <span class="name">${person.name}</span>
              <select
                part="assign"
                aria-label=${this.#t.term('breakoutAssignTo', person.name)}
                @change=${(e: Event) => this.#assign(person.id, e)}
              >
                ${[{ id: MAIN_ROOM_ID, name: this.#t.term('breakoutMainRoom') }, ...view.rooms].map(
                  (room) =>
                    html`<option
                      value=${room.id}
                      ?selected=${(open ? person.current : person.assigned) === room.id}
                    >
                      ${room.name}
                    </option>`,
                )}
              </select>
            </li>`,
        )}
      </ul>
      <div part="actions">
        <button part="button" type="button" @click=${() => b()?.shuffle()}>
          ${this.#t.term('breakoutShuffle')}
        </button>
        ${
          closed
            ? html`<button part="button" type="button" @click=${() => (this.editing = true)}>
                  ${this.#t.term('breakoutEdit')}
                </button>
                <button
                  part="button"
                  class="primary"
                  type="button"
                  @click=${() => b()?.open(this.countdown ? OPEN_COUNTDOWN_SECONDS : 0)}
                >
                  ${this.#t.term('breakoutOpen')}
                </button>`
            : html`<button
                part="button"
                class="danger"
                type="button"
                ?disabled=${view.phase === 'closing'}
                @click=${() => b()?.close()}
              >
                ${this.#t.term('breakoutClose')}
              </button>`
        }
      </div>
      ${
        closed
          ? html`<label class="check">
              <input
                type="checkbox"
                .checked=${this.countdown}
                @change=${(e: Event) => (this.countdown = (e.target as HTMLInputElement).checked)}
              />
              ${this.#t.term('breakoutCountdown')}
            </label>`
          : nothing
      }
      <form part="message" @submit=${this.#send}>
        <input
          name="text"
          maxlength="500"
          aria-label=${this.#t.term('breakoutMessage')}
          placeholder=${this.#t.term('breakoutMessage')}
        />
        <button part="button" type="submit">${this.#t.term('breakoutSend')}</button>
      </form>
      ${
        this.help.length
          ? html`<ul part="help" aria-label=${this.#t.term('breakoutAskHelp')}>
              ${this.help.map(
                (h) =>
                  html`<li>
                    <span>${this.#t.term('breakoutHelpFrom', h.from.name, h.room.name)}</span>
                    ${
                      open && h.room.id !== view.current.id
                        ? html`<button part="button" type="button" @click=${() => this.#goTo(h.room.id)}>
                            ${this.#t.term('breakoutGoThere', h.room.name)}
                          </button>`
                        : nothing
                    }
                  </li>`,
              )}
            </ul>`
          : nothing
      }
    `;
  }

  #renderCount(count: number) {
    const label = this.#t.term('breakoutPeopleCount', count);
    return html`<span class="count" role="img" aria-label=${label} title=${label}>${count}</span>`;
  }

  #phaseText(view: BreakoutView): string {
    const left = Math.max(0, Math.ceil(((view.countdownEndsAt ?? 0) - this.now) / 1000));
    switch (view.phase) {
      case 'closed':
        return this.#t.term('breakoutPhaseClosed');
      case 'opening':
        return this.#t.term('breakoutPhaseOpening', left);
      case 'open':
        return this.#t.term('breakoutPhaseOpen');
      case 'closing':
        return this.#t.term('breakoutPhaseClosing', left);
    }
  }
}
