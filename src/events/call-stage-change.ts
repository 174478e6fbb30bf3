import type { CallParticipant } from '../core/types.js';

export interface CallStageChangeDetail {
  /** Remote participants whose video is shown (and pulled), in stable order. */
  readonly stage: readonly CallParticipant[];
  /** Remote participants listed without video. */
  readonly offStage: readonly CallParticipant[];
}

/** Who is on the stage changed: someone spoke, was pinned, joined or left, or the stage size changed. Bubbles and is composed. */
export class CallStageChangeEvent extends Event {
  static readonly eventName = 'call-stage-change' as const;
  readonly detail: CallStageChangeDetail;

  constructor(detail: CallStageChangeDetail) {
    super(CallStageChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-stage-change': CallStageChangeEvent;
  }
}
