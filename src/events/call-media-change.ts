import type { CallParticipant } from '../core/types.js';

export interface CallMediaChangeDetail {
  readonly participant: CallParticipant;
  readonly kind: 'audio' | 'video' | 'screen';
  readonly enabled: boolean;
  /**
   * `user`: the local user's own toggle. `remote`: someone else's doing: another participant switched their
   * own media, or a host muted the local user's microphone or stopped their camera (`mute-mic`,
   * `stop-camera`; the participant is then the local one). `device` and `permission` are reserved.
   */
  readonly reason: 'user' | 'remote' | 'device' | 'permission';
}

/** A participant's microphone, camera or screen share turned on or off. Bubbles and is composed. */
export class CallMediaChangeEvent extends Event {
  static readonly eventName = 'call-media-change' as const;
  readonly detail: CallMediaChangeDetail;

  constructor(detail: CallMediaChangeDetail) {
    super(CallMediaChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-media-change': CallMediaChangeEvent;
  }
}
