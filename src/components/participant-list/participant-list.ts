import { html, nothing, svg } from 'lit';
import type { ModerationAction } from '../../core/host-controls.js';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { SessionConsumer } from '../../controllers/session-consumer.js';
import type { CallParticipant, CallSessionLike } from '../../core/types.js';
import { BaseElement } from '../../internal/base-element.js';
import { cssVars } from '../../internal/css-vars.js';
import { icon } from '../../internal/icon.js';
import { hueOf, initialsOf } from '../../internal/initials.js';
import { mediaIcons } from '../../internal/media-icons.js';
import { tokenStyles } from '../../styles/tokens.js';
import { menuStyles } from '../../styles/menu.js';
import { visuallyHiddenStyles } from '../../styles/visually-hidden.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import type { Translation } from '../../translations/en.js';
import { styles } from './participant-list.styles.js';

/** Above this many people the search field appears. */
const SEARCH_FROM = 9;

const speakingIcon = svg`<path d="M6 9v6M10 6v12M14 8v8M18 10v4" />`;
const handIcon = svg`<path d="M8 13V6.5a1.5 1.5 0 0 1 3 0V12M11 11.5V4.5a1.5 1.5 0 0 1 3 0V12M14 12V6a1.5 1.5 0 0 1 3 0v6.5M17 12.5V9a1.5 1.5 0 0 1 3 0v5a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-2.7l-2.6-4a1.6 1.6 0 0 1 2.6-1.8L8 15" />`;

const moreIcon = svg`<circle cx="12" cy="5" r="1.5" /><circle cx="12" cy="12" r="1.5" /><circle cx="12" cy="19" r="1.5" />`;

/**
 * The local participant first, then raised hands in the order they went up, then everyone else in the session's
 * order.
 */
function ordered(list: readonly CallParticipant[]): CallParticipant[] {
  const rank = (p: CallParticipant) => (p.isLocal ? 0 : p.handRaised ? 1 : 2);
  const raisedAt = (p: CallParticipant) => (p.handRaised ? (p.handRaisedAt ?? Infinity) : 0);
  return [...list].sort((a, b) => rank(a) - rank(b) || raisedAt(a) - raisedAt(b));
}

/** Lowercase without accents, so "jose" finds "José". */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/**
 * Lists everyone in the call: an initials avatar, the name ("(you)" for the user of this page), and labelled icons
 * for a raised hand, presenting, speaking, microphone off and camera off. The user comes first, then raised hands
 * in the order the session gives them, then everyone else as the session orders them. From nine people on, a
 * search field filters the list by name.
 *
 * For a host (a token with `canModerate`), each other person's row has a menu: ask to unmute, mute, stop their
 * camera, lower their hand, spotlight them for everyone, or remove them (after a confirmation). The server checks
 * every one of these; nobody can turn on someone else's microphone or camera. For everyone else rows are not
 * interactive. Works inside a `<call-room>` (it takes the room's session) or anywhere with
 * `.session`.
 *
 * @summary Everyone in the call, with their microphone, camera, presenting, speaking and raised-hand states.
 * @status experimental
 * @since 0.1.0
 *
 * @csspart base - The section around everything, named by the heading.
 * @csspart heading - The "People (n)" heading.
 * @csspart filter - The search field (only with more than eight people).
 * @csspart list - The list of people.
 * @csspart item - One person's row.
 * @csspart avatar - The initials avatar of a row.
 * @csspart name - The name of a row.
 * @csspart status - The status icons of a row.
 * @csspart hand-icon - The raised-hand icon.
 * @csspart presenting - The "Presenting" label.
 * @csspart speaking-icon - The speaking icon.
 * @csspart muted-icon - The microphone-off icon.
 * @csspart camera-off-icon - The camera-off icon.
 * @csspart empty - The text shown when the search matches no one.
 * @csspart host-menu-button - A row's "Host options" button (hosts only).
 * @csspart host-menu - A row's menu of host actions.
 * @csspart remove-dialog - The "Remove … from the call?" confirmation.
 *
 * @cssprop --call-participant-list-background - Behind the list. Default: var(--call-color-surface, #ffffff).
 * @cssprop --call-participant-list-color - Text colour. Default: var(--call-color-on-surface, #1f1f1f).
 * @cssprop --call-participant-list-padding - Space around the content. Default: var(--call-space-m, 12px).
 * @cssprop --call-participant-list-gap - Space between rows. Default: var(--call-space-xs, 4px).
 * @cssprop --call-participant-list-avatar-size - Diameter of the avatars. Default: 32px.
 * @cssprop --call-participant-list-icon-color - Microphone-off and camera-off icons. Default: var(--call-color-on-surface-muted, #5f6368).
 * @cssprop --call-participant-list-speaking-color - Speaking icon and avatar ring. Default: var(--call-color-speaking, #1a73e8).
 * @cssprop --call-participant-list-hand-color - The raised-hand icon. Default: var(--call-color-warning, #b06000).
 * @cssprop --call-participant-list-presenting-background - Behind the "Presenting" label. Default: var(--call-color-accent, #1a73e8).
 *
 * @cssstate empty - No one is listed (no session yet).
 * @cssstate searchable - More than eight people: the search field shows.
 * @cssstate filtered - A search hides some people.
 * @cssstate hands-raised - At least one person has raised their hand.
 * @cssstate host - The user may use the host controls.
 */
export class ParticipantList extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, visuallyHiddenStyles, menuStyles, styles];

  // PUBLIC API
  /** The call session; defaults to the one of the closest `<call-room>`. */
  @property({ attribute: false }) session?: CallSessionLike;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  // INTERNAL STATE
  readonly #session = new SessionConsumer(this);
  readonly #t = new LocalizeController(this, () => this.strings);
  readonly #participants = new ObservableController<readonly CallParticipant[]>(
    this,
    () => this.#session.value?.participants$,
  );
  readonly #canModerate = new ObservableController<boolean>(this, () => this.#session.value?.canModerate$);
  /** What the user typed in the search field. */
  @state() private query = '';
  /** Whom the host is about to remove (the confirmation shows). */
  @state() private removing?: CallParticipant;

  /** Short stable ids for each person's menu (participant ids can hold any character). */
  readonly #menuIds = new Map<string, number>();
  #menuIdOf(participantId: string): number {
    let id = this.#menuIds.get(participantId);
    if (id === undefined) this.#menuIds.set(participantId, (id = this.#menuIds.size + 1));
    return id;
  }

  #isHost(): boolean {
    return Boolean(this.#canModerate.value && this.#session.value?.moderate);
  }

  #all(): readonly CallParticipant[] {
    return this.#participants.value ?? [];
  }

  #searchable(): boolean {
    return this.#all().length >= SEARCH_FROM;
  }

  /** The people shown, in display order, after the search. */
  #shown(): CallParticipant[] {
    const list = ordered(this.#all());
    const query = folded(this.query.trim());
    if (!query || !this.#searchable()) return list;
    return list.filter((p) => folded(p.name).includes(query));
  }

  /** The string for `key`, with `{0}`, `{1}`… replaced by `args`. */

  // LIFECYCLE
  protected override willUpdate(): void {
    const all = this.#all();
    // A search the user can no longer see must not hide anyone.
    if (!this.#searchable() && this.query) this.query = '';
    this.setCustomState('empty', all.length === 0);
    this.setCustomState('searchable', this.#searchable());
    this.setCustomState('filtered', this.#shown().length < all.length);
    this.setCustomState(
      'hands-raised',
      all.some((p) => p.handRaised),
    );
    this.setCustomState('host', this.#isHost());
  }

  protected override updated(): void {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('[part~="remove-dialog"]');
    if (this.removing && dialog && !dialog.open) dialog.showModal();
    if (!this.removing && dialog?.open) dialog.close();
  }

  // HANDLERS
  #handleInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
  }

  /** Runs a host action from a row's menu, then closes the menu. */
  #act(menuId: string, action: ModerationAction, participant: CallParticipant): void {
    this.renderRoot.querySelector<HTMLElement>(`#${menuId}`)?.hidePopover();
    if (action === 'remove') {
      this.removing = participant;
      return;
    }
    this.#session.value?.moderate?.(action, participant.id);
  }

  #confirmRemove(): void {
    const who = this.removing;
    this.removing = undefined;
    if (who) this.#session.value?.moderate?.('remove', who.id);
  }

  /** Opens a row's menu under its button (popovers live in the top layer). */
  #placeMenu = (event: ToggleEvent): void => {
    if (event.newState !== 'open') return;
    const menu = event.target as HTMLElement;
    const box = this.renderRoot.querySelector(`[popovertarget="${menu.id}"]`)?.getBoundingClientRect();
    if (box) {
      const top =
        box.bottom + menu.offsetHeight + 4 > innerHeight ? box.top - menu.offsetHeight - 4 : box.bottom + 4;
      menu.style.setProperty('top', `${Math.round(Math.max(8, top))}px`);
      menu.style.setProperty('left', `${Math.round(Math.max(8, box.right - menu.offsetWidth))}px`);
    }
    menu.querySelector('button')?.focus();
  };

  // RENDERING
  // role="list" is not redundant here: Safari drops a <ul>'s list semantics under `list-style: none`.
  /* eslint-disable lit-a11y/no-redundant-role */
  protected override render() {
    const all = this.#all();
    const shown = this.#shown();
    const searchable = this.#searchable();
    const query = this.query.trim();
    return html`
      <section part="base" aria-labelledby="heading">
        <h2 part="heading" id="heading">${this.#t.term('people', all.length)}</h2>
        ${
          searchable
            ? html`<label class="visually-hidden" for="filter">${this.#t.term('searchPeople')}</label>
                <input
                  part="filter"
                  id="filter"
                  type="search"
                  autocomplete="off"
                  spellcheck="false"
                  placeholder=${this.#t.term('searchPeople')}
                  .value=${this.query}
                  @input=${this.#handleInput}
                />`
            : nothing
        }
        <ul part="list" role="list" ?hidden=${shown.length === 0}>
          ${repeat(
            shown,
            (p) => p.id,
            (p) => this.#renderItem(p),
          )}
        </ul>
        ${
          searchable && query && shown.length === 0
            ? html`<p part="empty">${this.#t.term('noPeopleMatch', query)}</p>`
            : nothing
        }
        <p class="visually-hidden" role="status">
          ${searchable && query ? this.#t.term('peopleShown', shown.length, all.length) : ''}
        </p>
      </section>
      ${this.#isHost() ? this.#renderRemoveDialog() : nothing}
    `;
  }

  #renderRemoveDialog() {
    const who = this.removing;
    return html`<dialog
      part="remove-dialog"
      aria-labelledby="remove-title"
      aria-describedby="remove-detail"
      @close=${() => (this.removing = undefined)}
    >
      ${
        who
          ? html`<h2 id="remove-title">${this.#t.term('confirmRemove', who.name)}</h2>
              <p id="remove-detail">${this.#t.term('confirmRemoveDetail')}</p>
              <div class="dialog-actions">
                <button type="button" class="secondary" @click=${() => (this.removing = undefined)}>
                  ${this.#t.term('cancel')}
                </button>
                <button type="button" class="danger" @click=${this.#confirmRemove}>
                  ${this.#t.term('removeNow')}
                </button>
              </div>`
          : nothing
      }
    </dialog>`;
  }

  /** A host's menu for one other person: only the actions that mean something for them now. */
  #renderHostMenu(p: CallParticipant) {
    const menuId = `host-menu-${this.#menuIdOf(p.id)}`;
    const item = (action: ModerationAction, term: keyof Translation) =>
      html`<button type="button" @click=${() => this.#act(menuId, action, p)}>${this.#t.term(term)}</button>`;
    return html`<button
        part="host-menu-button"
        class="host-menu-button"
        type="button"
        popovertarget=${menuId}
        aria-haspopup="true"
        aria-label=${this.#t.term('hostOptionsFor', p.name)}
      >
        ${icon(moreIcon)}
      </button>
      <div popover id=${menuId} part="host-menu" class="menu" @toggle=${this.#placeMenu}>
        ${p.micOn ? item('mute-mic', 'muteMic') : item('ask-unmute', 'askToUnmute')}
        ${p.cameraOn ? item('stop-camera', 'stopCamera') : nothing}
        ${p.handRaised ? item('lower-hand', 'lowerHand') : nothing}
        ${p.spotlighted ? item('unspotlight', 'removeSpotlight') : item('spotlight', 'spotlightForEveryone')}
        ${item('remove', 'removeFromCall')}
      </div>`;
  }

  /* eslint-enable lit-a11y/no-redundant-role */

  #renderItem(p: CallParticipant) {
    // Speaking belongs to an open microphone, as on the video tiles.
    const speaking = p.speaking && p.micOn;
    return html`<li part="item" class=${speaking ? 'talking' : ''}>
      <span part="avatar" class="avatar" aria-hidden="true" ${cssVars({ '--_hue': String(hueOf(p.id)) })}
        >${initialsOf(p.name)}</span
      >
      <span part="name" class="name">${p.isLocal ? this.#t.term('you', p.name) : p.name}</span>
      <span part="status" class="status">
        ${
          p.handRaised
            ? html`<span part="hand-icon" class="badge" role="img" aria-label=${this.#t.term('handRaised')}
                >${icon(handIcon)}</span
              >`
            : nothing
        }
        ${p.screenOn ? html`<span part="presenting" class="chip">${this.#t.term('presenting')}</span>` : nothing}
        ${
          speaking
            ? html`<span part="speaking-icon" class="badge" role="img" aria-label=${this.#t.term('speaking')}
                >${icon(speakingIcon)}</span
              >`
            : nothing
        }
        ${
          p.micOn
            ? nothing
            : html`<span part="muted-icon" class="badge" role="img" aria-label=${this.#t.term('micOff')}
                >${icon(mediaIcons.mic, mediaIcons.slash)}</span
              >`
        }
        ${
          p.cameraOn
            ? nothing
            : html`<span
                part="camera-off-icon"
                class="badge"
                role="img"
                aria-label=${this.#t.term('cameraOff')}
                >${icon(mediaIcons.camera, mediaIcons.slash)}</span
              >`
        }
      </span>
      ${this.#isHost() && !p.isLocal ? this.#renderHostMenu(p) : nothing}
    </li>`;
  }
}
