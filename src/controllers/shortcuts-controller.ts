import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Which modifier a platform's shortcuts use: ⌘ on Apple systems, Ctrl elsewhere. */
export type ShortcutPlatform = 'mac' | 'other';

/** What a shortcut does: the name of the `ShortcutActions` method it calls. */
export type CallShortcutId = keyof ShortcutActions;

/** One keyboard shortcut of a call, as a help popover or the README lists it. */
export interface CallShortcut {
  readonly id: CallShortcutId;
  /** The keys to press together, as shown to people on each platform. */
  readonly keys: Readonly<Record<ShortcutPlatform, readonly string[]>>;
  /** What it does, in English. */
  readonly description: string;
  /**
   * What the controller matches: `key` (lowercase), with the platform's modifier (⌘ or Ctrl) when `primary`, and
   * no other modifier than Shift when not.
   */
  readonly binding: { readonly key: string; readonly primary: boolean; readonly alt?: boolean };
}

/** Every shortcut, in the order a help popover lists them. The same keys as Google Meet. */
export const CALL_SHORTCUTS: readonly CallShortcut[] = [
  {
    id: 'toggleMic',
    keys: { mac: ['⌘', 'D'], other: ['Ctrl', 'D'] },
    description: 'Turn the microphone on or off',
    binding: { key: 'd', primary: true },
  },
  {
    id: 'toggleCamera',
    keys: { mac: ['⌘', 'E'], other: ['Ctrl', 'E'] },
    description: 'Turn the camera on or off',
    binding: { key: 'e', primary: true },
  },
  {
    id: 'toggleHand',
    keys: { mac: ['⌘', '⌥', 'H'], other: ['Ctrl', 'Alt', 'H'] },
    description: 'Raise or lower your hand',
    binding: { key: 'h', primary: true, alt: true },
  },
  {
    id: 'showHelp',
    keys: { mac: ['?'], other: ['?'] },
    description: 'Show keyboard shortcuts',
    binding: { key: '?', primary: false },
  },
];

/** What the shortcuts do; the host wires them to its session and help popover. */
export interface ShortcutActions {
  toggleMic(): void;
  toggleCamera(): void;
  toggleHand(): void;
  showHelp(): void;
}

export interface ShortcutsOptions {
  /** Whether shortcuts work right now, e.g. the host's `shortcuts` attribute and a joined call. */
  enabled: () => boolean;
  actions: ShortcutActions;
  /** Overrides the detected platform (tests, stories). */
  platform?: ShortcutPlatform;
}

interface NavigatorLike {
  readonly platform?: string;
  readonly userAgentData?: { readonly platform?: string };
}

/** `mac` on macOS and iOS/iPadOS (whose hardware keyboards have ⌘), from `userAgentData` or `navigator.platform`. */
export function platformOf(nav: NavigatorLike | undefined): ShortcutPlatform {
  const name = nav?.userAgentData?.platform || nav?.platform || '';
  return /mac|iphone|ipad|ipod/i.test(name) ? 'mac' : 'other';
}

let detected: ShortcutPlatform | undefined;

/** The platform of this browser, detected once, on first use (never at import). */
export function currentPlatform(): ShortcutPlatform {
  detected ??= platformOf(typeof navigator === 'undefined' ? undefined : (navigator as NavigatorLike));
  return detected;
}

/** Elements where keys are text: shortcuts stay out of their way. */
function isTyping(event: Event): boolean {
  return event
    .composedPath()
    .some(
      (target) =>
        target instanceof HTMLElement &&
        (target instanceof HTMLInputElement ||
          target instanceof HTMLTextAreaElement ||
          target instanceof HTMLSelectElement ||
          target.isContentEditable),
    );
}

/**
 * Call shortcuts like Google Meet's, on the whole page while the host is connected: Ctrl+D (⌘+D on macOS) toggles
 * the microphone, Ctrl+E (⌘+E) the camera, Ctrl+Alt+H (⌘+⌥+H) raises or lowers the hand, and `?` shows help. Keys typed into a text field (also inside shadow
 * roots), held-down repeats and keys someone else already handled are left alone; a handled key has its default
 * prevented (Ctrl+D would bookmark the page), others are not touched.
 */
export class ShortcutsController implements ReactiveController {
  /** The platform whose keys apply, so a help popover shows the right ones. */
  readonly platform: ShortcutPlatform;
  #abort?: AbortController;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: ShortcutsOptions,
  ) {
    this.platform = options.platform ?? currentPlatform();
    host.addController(this);
  }

  hostConnected(): void {
    this.#abort?.abort();
    this.#abort = new AbortController();
    document.addEventListener('keydown', this.#handleKeydown, { signal: this.#abort.signal });
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    this.#abort = undefined;
  }

  /** The shortcut a key press means, if any. */
  match(event: KeyboardEvent): CallShortcut | undefined {
    const mac = this.platform === 'mac';
    const primary = mac ? event.metaKey : event.ctrlKey;
    const otherPrimary = mac ? event.ctrlKey : event.metaKey;
    // AltGr arrives as Ctrl+Alt on Windows; the character it types is what counts then.
    const altGr = event.getModifierState?.('AltGraph') ?? false;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    return CALL_SHORTCUTS.find(({ binding }) => {
      if (binding.primary) {
        if (!primary || otherPrimary || event.altKey !== (binding.alt ?? false) || event.shiftKey)
          return false;
        // Non-Latin layouts (Cyrillic, Greek…) report their own letter; fall back to the physical key.
        return (
          key === binding.key ||
          (!/^[\x20-\x7e]$/.test(key) && event.code === `Key${binding.key.toUpperCase()}`)
        );
      }
      if (event.metaKey || ((event.ctrlKey || event.altKey) && !altGr)) return false;
      return key === binding.key;
    });
  }

  #handleKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.repeat || event.isComposing) return;
    if (!this.options.enabled()) return;
    const shortcut = this.match(event);
    if (!shortcut || isTyping(event)) return;
    event.preventDefault();
    this.options.actions[shortcut.id]();
  };
}
