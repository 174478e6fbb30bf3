import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, type Translation } from '../translations/en.js';

const translations = new Map<string, Partial<Translation>>([['en', en]]);
const hosts = new Set<LocalizeController>();
let langObserver: MutationObserver | undefined;

/** Adds or replaces a translation; elements re-render in it. `$code` is a BCP 47 tag such as `de` or `pt-BR`. */
export function registerTranslation(...list: (Partial<Translation> & { $code: string })[]): void {
  for (const t of list)
    translations.set(t.$code.toLowerCase(), { ...translations.get(t.$code.toLowerCase()), ...t });
  for (const host of hosts) host.host.requestUpdate();
}

/**
 * Gives an element its strings in the language of the closest `[lang]` (or `<html lang>`), falling back to
 * English. Sites can override single strings per element through `strings`.
 */
export class LocalizeController implements ReactiveController {
  constructor(
    readonly host: ReactiveControllerHost & HTMLElement,
    private readonly overrides: () => Partial<Translation> | undefined = () => undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    hosts.add(this);
    if (!langObserver && typeof MutationObserver !== 'undefined') {
      // One observer for the whole page: <html lang> changes are rare, elements are many.
      langObserver = new MutationObserver(() => hosts.forEach((h) => h.host.requestUpdate()));
      langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'dir'] });
    }
  }

  hostDisconnected(): void {
    hosts.delete(this);
    if (hosts.size === 0) {
      langObserver?.disconnect();
      langObserver = undefined;
    }
  }

  /** The language in force for the host, lowercased (`de-ch`). */
  lang(): string {
    const el = this.host.closest('[lang]');
    return (el?.getAttribute('lang') || document.documentElement.lang || 'en').toLowerCase();
  }

  /** The string for `key`, with `{0}`, `{1}`… replaced by `args`. */
  term(key: keyof Translation, ...args: (string | number)[]): string {
    const lang = this.lang();
    const text =
      this.overrides()?.[key] ??
      translations.get(lang)?.[key] ??
      translations.get(lang.split('-')[0])?.[key] ??
      en[key];
    return text.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
  }
}
