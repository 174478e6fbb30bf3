import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * Sets custom properties on an element through CSSOM (`style.setProperty`), never through a `style` attribute.
 * Lit's `styleMap` writes the attribute on first render, which a strict CSP (`style-src` without
 * 'unsafe-inline') blocks. Usage: `<div ${cssVars({ '--_columns': '3' })}>`.
 */
class CssVarsDirective extends Directive {
  #previous = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT)
      throw new Error('cssVars() belongs on an element: <div ${cssVars(…)}>');
  }

  render(_vars: Readonly<Record<`--${string}`, string>>) {
    return noChange;
  }

  override update(part: ElementPart, [vars]: [Readonly<Record<`--${string}`, string>>]) {
    const style = (part.element as HTMLElement).style;
    for (const name of this.#previous) if (!(name in vars)) style.removeProperty(name);
    for (const [name, value] of Object.entries(vars)) style.setProperty(name, value);
    this.#previous = new Set(Object.keys(vars));
    return noChange;
  }
}

export const cssVars = directive(CssVarsDirective);
