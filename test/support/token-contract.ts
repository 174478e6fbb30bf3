// The theming contract of house-style §7, checked on an element's styles: every private `--_*` variable read is
// defined or has a fallback, every one defined is used, every `--call-*` token read has a literal fallback, and
// no public token is declared (declaring one on :host would stop pages from theming by inheritance).
import { expect } from '@open-wc/testing';
import type { CSSResult, CSSResultGroup } from 'lit';

export function expectTokenContract(elementStyles: CSSResultGroup | undefined, own: CSSResult): void {
  const all = ([elementStyles] as unknown[])
    .flat(Infinity)
    .map((s) => (s as CSSResult).cssText)
    .join('\n');
  const css = own.cssText;
  const defined = new Set([...all.matchAll(/(--_[\w-]+)\s*:/g)].map((m) => m[1]));
  for (const [, name, next] of all.matchAll(/var\(\s*(--_[\w-]+)\s*([,)])/g))
    expect(defined.has(name) || next === ',', `${name} is defined or has a fallback`).to.be.true;
  for (const name of new Set([...css.matchAll(/(--_[\w-]+)\s*:/g)].map((m) => m[1])))
    expect(all.includes(`var(${name}`), `${name} is used`).to.be.true;
  for (const [, name, next] of css.matchAll(/var\(\s*(--call-[\w-]+)\s*([,)])/g))
    expect(next, `${name} has a fallback`).to.equal(',');
  expect(css, 'no public token declared').to.not.match(/(^|[{;\s])--call-[\w-]+\s*:/);
}
