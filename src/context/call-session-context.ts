import { createContext } from '@lit/context';
import type { CallSessionLike } from '../core/types.js';

/**
 * The call session `<call-room>` provides to everything inside it. A namespaced string key, not a Symbol, so a
 * CDN copy and an npm copy of the library on one page still find each other.
 */
export const callSessionContext = createContext<CallSessionLike | undefined>('call-elements/session');
