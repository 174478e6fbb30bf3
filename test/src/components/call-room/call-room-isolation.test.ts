import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../../src/define/call-room.js';
import type { CallRoom } from '../../../../src/components/call-room/call-room.js';
import { FakeCallSession } from '../../../../src/testing/fake-call-session.js';

// A host page that fights back: resets every property with !important, hides every video, and blows up fonts.
const HOSTILE_CSS = `
  * { all: unset !important; }
  video { display: none !important; }
  html, body, call-room, video-tile, call-controls { font-size: 48px !important; line-height: 3 !important; }
  div, section, button { margin: 40px !important; padding: 40px !important; }
`;

describe('<call-room> on a hostile host page', () => {
  let style: HTMLStyleElement;
  let session: FakeCallSession;
  beforeEach(() => {
    style = document.createElement('style');
    style.textContent = HOSTILE_CSS;
    document.head.append(style);
  });
  afterEach(() => {
    style.remove();
    session?.dispose();
  });

  it('keeps its layout: a block with a grid of playing tiles, readable names and usable controls', async () => {
    session = new FakeCallSession({ participants: 4 });
    const el = await fixture<CallRoom>(
      html`<call-room style="width: 800px; height: 600px" .session=${session}></call-room>`,
    );
    expect(getComputedStyle(el).display, 'host stays a block').to.equal('block');
    const box = el.getBoundingClientRect();
    expect(box.width, 'host width').to.be.closeTo(800, 1);
    const tiles = [...el.shadowRoot!.querySelectorAll('video-tile')];
    expect(tiles.length).to.equal(4);
    // Tiles are sized from the stage's measured size, in the frame after the first render.
    await waitUntil(() => !el.shadowRoot!.querySelector('[data-unmeasured]'), 'the stage is measured');
    await el.updateComplete;
    for (const tile of tiles) {
      const rect = tile.getBoundingClientRect();
      expect(rect.width, 'tile width').to.be.greaterThan(150);
      expect(rect.height, 'tile height').to.be.greaterThan(80);
      expect(rect.right, 'tile inside the room').to.be.at.most(box.right + 1);
    }
    const video = tiles[1].shadowRoot!.querySelector('video')!;
    expect(getComputedStyle(video).display, 'shadow videos ignore the page’s video rule').to.not.equal(
      'none',
    );
    await waitUntil(() => video.videoWidth > 0, 'the canvas video plays');
    const name = tiles[1].shadowRoot!.querySelector('[part~="name"]')!;
    expect(parseFloat(getComputedStyle(name).fontSize), 'name font size').to.be.below(20);
    const controls = el.shadowRoot!.querySelector('call-controls')!;
    const mic = controls.shadowRoot!.querySelector<HTMLElement>('[part~="mic"]')!;
    const micBox = mic.getBoundingClientRect();
    expect(micBox.width > 20 && micBox.height > 20, 'the mic button is visible').to.be.true;
    expect(micBox.bottom, 'controls inside the room').to.be.at.most(box.bottom + 1);
  });

  it('leaks no styles out: the page’s own elements are untouched by the widget', async () => {
    style.remove();
    session = new FakeCallSession({ participants: 2, withVideo: false });
    const el = await fixture<HTMLDivElement>(
      html`<div>
        <p id="host-text">Host paragraph</p>
        <call-room .session=${session}></call-room>
      </div>`,
    );
    const p = el.querySelector('#host-text')!;
    const alone = await fixture<HTMLParagraphElement>(html`<p>Control paragraph</p>`);
    for (const prop of ['font-family', 'font-size', 'color', 'margin-top'] as const) {
      expect(getComputedStyle(p).getPropertyValue(prop), prop).to.equal(
        getComputedStyle(alone).getPropertyValue(prop),
      );
    }
  });
});
