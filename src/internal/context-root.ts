// Side effect: a ContextRoot on the document, so elements that upgrade before the <call-room> above them (the
// script tag defines children first) still get its session once it upgrades. Imported before any define
// module; once per page, even when two copies of the library load.
import { ContextRoot } from '@lit/context';

const ROOT_MARK = Symbol.for('call-elements.context-root');
const page = globalThis as typeof globalThis & { [ROOT_MARK]?: true };
if (typeof document !== 'undefined' && !page[ROOT_MARK]) {
  page[ROOT_MARK] = true;
  new ContextRoot().attach(document.documentElement);
}
