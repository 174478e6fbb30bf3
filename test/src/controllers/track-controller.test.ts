import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { TrackController } from '../../../src/controllers/track-controller.js';
import { createCanvasTrack } from '../../../src/testing/canvas-track.js';

class TrackHost extends LitElement {
  static override properties = { track: { attribute: false }, label: {} };
  declare track?: MediaStreamTrack;
  declare label: string;
  readonly video = new TrackController(
    this,
    () => this.renderRoot.querySelector('video'),
    () => this.track,
  );
  override render() {
    return html`<video muted playsinline autoplay aria-label=${this.label ?? ''}></video>`;
  }
}
customElements.define('track-host', TrackHost);

/** Counts assignments to a media element's srcObject. */
function countAssignments(video: HTMLVideoElement): { count: number } {
  const counter = { count: 0 };
  const descriptor = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
  Object.defineProperty(video, 'srcObject', {
    configurable: true,
    get: () => descriptor.get!.call(video),
    set: (value) => {
      counter.count++;
      descriptor.set!.call(video, value);
    },
  });
  return counter;
}

describe('TrackController', () => {
  const tracks: MediaStreamTrack[] = [];
  const track = (label: string) => {
    const t = createCanvasTrack(label, 120, 64, 48, 10);
    tracks.push(t);
    return t;
  };
  afterEach(() => tracks.splice(0).forEach((t) => t.stop()));

  it('sets srcObject only when the track changes, and reports frames', async () => {
    const el = await fixture<TrackHost>(html`<track-host></track-host>`);
    const v = el.shadowRoot!.querySelector('video')!;
    const sets = countAssignments(v);
    const first = track('A B');
    el.track = first;
    await el.updateComplete;
    expect(sets.count, 'attached once').to.equal(1);
    expect((v.srcObject as MediaStream).getTracks(), 'plays the track').to.deep.equal([first]);
    await waitUntil(() => el.video.hasFrames, 'hasFrames never became true', { timeout: 5000 });
    expect(v.videoWidth, 'decoded width').to.equal(64);
    el.label = 'something else';
    await el.updateComplete;
    await el.updateComplete;
    expect(sets.count, 'unrelated renders do not touch srcObject').to.equal(1);
    const second = track('C D');
    el.track = second;
    await el.updateComplete;
    expect(el.video.attached, 'switched').to.equal(second);
    expect(el.video.hasFrames, 'no frames of the new track yet').to.be.false;
    el.track = undefined;
    await el.updateComplete;
    expect(v.srcObject, 'released without a track').to.be.null;
  });

  it('releases on disconnect and re-attaches on reconnect', async () => {
    const el = await fixture<TrackHost>(html`<track-host></track-host>`);
    el.track = track('E F');
    await el.updateComplete;
    const v = el.shadowRoot!.querySelector('video')!;
    expect(v.srcObject, 'attached').to.not.be.null;
    const parent = el.parentElement!;
    el.remove();
    expect(v.srcObject, 'released on disconnect').to.be.null;
    expect(el.video.attached, 'nothing attached').to.be.undefined;
    await el.updateComplete;
    expect(v.srcObject, 'an update while disconnected does not re-attach').to.be.null;
    parent.append(el);
    await el.updateComplete;
    expect(el.video.attached, 're-attached').to.equal(el.track);
  });
});
