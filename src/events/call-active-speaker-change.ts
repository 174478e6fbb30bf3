import type { CallParticipant } from '../core/types.js';

export interface CallActiveSpeakerChangeDetail {
  /** Who speaks loudest now, or undefined when nobody speaks. */
  readonly participant?: CallParticipant;
  readonly previous?: CallParticipant;
}

/** The loudest speaker changed. Bubbles and is composed. */
export class CallActiveSpeakerChangeEvent extends Event {
  static readonly eventName = 'call-active-speaker-change' as const;
  readonly detail: CallActiveSpeakerChangeDetail;

  constructor(detail: CallActiveSpeakerChangeDetail) {
    super(CallActiveSpeakerChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-active-speaker-change': CallActiveSpeakerChangeEvent;
  }
}
