import { expect } from '@open-wc/testing';
import { firstValueFrom } from 'rxjs';
import { STEP_HOLD_MS, type VideoView } from '../../../src/core/layer-steering.js';
import { DEFAULT_SIMULCAST_LAYERS } from '../../../src/core/simulcast.js';
import { HIDDEN_CLOSE_MS, VideoViews } from '../../../src/core/video-views.js';

const shown = (patch: Partial<VideoView> = {}): VideoView => ({
  visible: true,
  neededWidth: 1280,
  decodedWidth: 1280,
  poor: false,
  ...patch,
});

describe('VideoViews', () => {
  let now: number;
  let views: VideoViews;
  const rid = (key: string) => firstValueFrom(views.preferredRid$(key));
  const closed = () => firstValueFrom(views.closed$);
  beforeEach(() => {
    now = 0;
    views = new VideoViews(DEFAULT_SIMULCAST_LAYERS, () => now);
  });

  it('leaves a video no tile shows to the SFU ("" = automatic)', async () => {
    expect(await rid('a/camera')).to.equal('');
  });

  it('asks for what the largest visible tile needs', async () => {
    const small = {};
    const large = {};
    views.report('a/camera', small, shown({ neededWidth: 200 }));
    expect(await rid('a/camera')).to.equal('f', 'a size is held a moment before a step');
    now = STEP_HOLD_MS;
    views.tick();
    expect(await rid('a/camera')).to.equal('h', 'one step down from the full layer');
    views.report('a/camera', large, shown({ neededWidth: 1280, decodedWidth: 640 }));
    now += 3_000;
    views.tick();
    now += STEP_HOLD_MS;
    views.tick();
    expect(await rid('a/camera')).to.equal('f', 'the large tile wins');
  });

  it('parks a hidden video on the lowest layer, closes its pull after a few seconds, reopens when shown', async () => {
    const tile = {};
    views.report('a/camera', tile, shown());
    views.report('a/camera', tile, shown({ visible: false }));
    expect(await rid('a/camera')).to.equal('q');
    now = HIDDEN_CLOSE_MS - 100;
    views.tick();
    expect([...(await closed())]).to.deep.equal([]);
    now = HIDDEN_CLOSE_MS;
    views.tick();
    expect([...(await closed())]).to.deep.equal(['a/camera']);
    views.report('a/camera', tile, shown({ decodedWidth: 0 }));
    expect([...(await closed())]).to.deep.equal([]);
    expect(await rid('a/camera')).to.equal('f');
  });

  it('counts a video as shown while any tile shows it', async () => {
    views.report('a/camera', {}, shown({ visible: false }));
    views.report('a/camera', {}, shown());
    now = HIDDEN_CLOSE_MS * 2;
    views.tick();
    expect([...(await closed())]).to.deep.equal([]);
  });

  it('never closes a video whose tiles went away; data saver keeps every pull low', async () => {
    const tile = {};
    views.report('a/camera', tile, shown({ visible: false }));
    views.report('a/camera', tile, undefined);
    now = HIDDEN_CLOSE_MS * 2;
    views.tick();
    expect([...(await closed())]).to.deep.equal([]);
    views.setDataSaver(true);
    expect(await rid('b/camera')).to.equal('q');
    views.report('b/camera', tile, shown());
    expect(await rid('b/camera')).to.equal('q');
  });
});
