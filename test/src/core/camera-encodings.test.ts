import { expect } from '@open-wc/testing';
import { BehaviorSubject, Subject } from 'rxjs';
import { keepCameraEncodings } from '../../../src/core/camera-encodings.js';

const RIDS = ['f', 'h', 'q'];
const layers = (active: boolean[], maxBitrate = 100_000): RTCRtpEncodingParameters[] =>
  RIDS.map((rid, i) => ({ rid, active: active[i], maxBitrate, scaleResolutionDownBy: 2 ** (2 - i) }));

/** A sender whose setParameters takes `delayMs`, rejects when told, and notes overlapping calls. */
class FakeSender {
  parameters: RTCRtpSendParameters;
  calls: RTCRtpEncodingParameters[][] = [];
  inFlight = 0;
  overlapped = false;
  delayMs = 0;
  reject = false;
  constructor(encodings: RTCRtpEncodingParameters[]) {
    this.parameters = { encodings, transactionId: 't', codecs: [], headerExtensions: [], rtcp: {} };
  }
  getParameters(): RTCRtpSendParameters {
    return structuredClone(this.parameters);
  }
  async setParameters(parameters: RTCRtpSendParameters): Promise<void> {
    if (this.inFlight > 0) this.overlapped = true;
    this.inFlight++;
    this.calls.push(parameters.encodings);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight--;
    if (this.reject) throw new DOMException('closed', 'InvalidStateError');
    this.parameters = parameters;
  }
}

class FakePc extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  constructor(readonly senders: FakeSender[]) {
    super();
  }
  getSenders() {
    return this.senders;
  }
  negotiate(state: RTCSignalingState) {
    this.signalingState = state;
    this.dispatchEvent(new Event('signalingstatechange'));
  }
}

const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const active = (s: FakeSender) => s.parameters.encodings.map((e) => e.active);

describe('keepCameraEncodings', () => {
  let unhandled: unknown[];
  const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);
  beforeEach(() => {
    unhandled = [];
    window.addEventListener('unhandledrejection', onUnhandled);
  });
  afterEach(() => window.removeEventListener('unhandledrejection', onUnhandled));

  it('applies each change to the camera’s sender only (by its rids), and nothing already sent', async () => {
    const camera = new FakeSender(layers([true, true, true]));
    const mic = new FakeSender([{ active: true }]);
    const pc = new FakePc([mic, camera]);
    const encodings$ = new BehaviorSubject(layers([false, false, true]));
    const sub = keepCameraEncodings(
      new BehaviorSubject(pc as unknown as RTCPeerConnection),
      encodings$,
      RIDS,
    ).subscribe();
    await settle();
    expect(active(camera)).to.deep.equal([false, false, true]);
    expect(mic.calls, 'the microphone untouched').to.have.length(0);
    encodings$.next(layers([false, false, true])); // the same again
    pc.negotiate('stable'); // nothing changed on the sender
    await settle();
    expect(camera.calls, 'nothing to apply').to.have.length(1);
    encodings$.next(layers([true, true, true], 50_000));
    await settle();
    expect(active(camera)).to.deep.equal([true, true, true]);
    expect(camera.parameters.encodings.map((e) => e.maxBitrate)).to.deep.equal([50_000, 50_000, 50_000]);
    expect(camera.parameters.encodings[0]!.scaleResolutionDownBy, 'the rest kept').to.equal(4);
    sub.unsubscribe();
  });

  it('waits out a negotiation, and applies again after one (an SFU offer un-pauses the layers)', async () => {
    const camera = new FakeSender(layers([true, true, true]));
    const pc = new FakePc([camera]);
    pc.signalingState = 'have-remote-offer';
    const sub = keepCameraEncodings(
      new BehaviorSubject(pc as unknown as RTCPeerConnection),
      new BehaviorSubject(layers([false, false, true])),
      RIDS,
    ).subscribe();
    await settle();
    expect(camera.calls, 'not while negotiating').to.have.length(0);
    pc.negotiate('stable');
    await settle();
    expect(active(camera)).to.deep.equal([false, false, true]);
    camera.parameters.encodings.forEach((e) => (e.active = true)); // what Chrome does with the SFU's offer
    pc.negotiate('have-remote-offer');
    pc.negotiate('stable');
    await settle();
    expect(active(camera)).to.deep.equal([false, false, true]);
    sub.unsubscribe();
  });

  it('never has two calls at once, and a rejected call (a closed sender) goes nowhere', async () => {
    const camera = new FakeSender(layers([true, true, true]));
    camera.delayMs = 40;
    const pc = new FakePc([camera]);
    const encodings$ = new Subject<RTCRtpEncodingParameters[]>();
    const pc$ = new BehaviorSubject(pc as unknown as RTCPeerConnection);
    const sub = keepCameraEncodings(pc$, encodings$, RIDS).subscribe();
    encodings$.next(layers([false, false, true]));
    encodings$.next(layers([true, true, true], 60_000));
    encodings$.next(layers([false, false, true], 60_000));
    await settle(200);
    expect(camera.overlapped, 'one at a time').to.be.false;
    expect(active(camera), 'the latest wins').to.deep.equal([false, false, true]);
    camera.reject = true;
    encodings$.next(layers([true, true, true]));
    await settle(100);
    const next = new FakeSender(layers([false, false, true]));
    pc$.next(new FakePc([next]) as unknown as RTCPeerConnection); // a reconnect: a new connection
    await settle(100);
    expect(active(next), 'the new sender gets the latest').to.deep.equal([true, true, true]);
    expect(unhandled, 'no unhandled rejection').to.deep.equal([]);
    sub.unsubscribe();
  });
});
