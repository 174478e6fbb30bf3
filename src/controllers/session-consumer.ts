import { ContextConsumer } from '@lit/context';
import type { ReactiveElement } from 'lit';
import { callSessionContext } from '../context/call-session-context.js';
import type { CallSessionLike } from '../core/types.js';

/**
 * The call session of the closest `<call-room>`, or the element's own `session` property when set (tests,
 * standalone use). The host re-renders when the provided session changes.
 */
export class SessionConsumer {
  readonly #context: ContextConsumer<typeof callSessionContext, ReactiveElement>;

  constructor(private readonly host: ReactiveElement & { session?: CallSessionLike }) {
    this.#context = new ContextConsumer(host, { context: callSessionContext, subscribe: true });
  }

  get value(): CallSessionLike | undefined {
    return this.host.session ?? this.#context.value;
  }
}
