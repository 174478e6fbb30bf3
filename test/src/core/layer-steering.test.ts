import { expect } from '@open-wc/testing';
import {
  GOOD_RECOVERY_MS,
  LayerSteering,
  STEP_HOLD_MS,
  STEP_SETTLE_MS,
  UNAVAILABLE_MS,
  type VideoView,
} from '../../../src/core/layer-steering.js';
import { DEFAULT_SIMULCAST_LAYERS } from '../../../src/core/simulcast.js';

/** A 1280 px camera: f 1280, h 640, q 320 wide. */
const WIDTH: Record<string, number> = { f: 1280, h: 640, q: 320 };

const view = (patch: Partial<VideoView>): VideoView => ({
  visible: true,
  neededWidth: 1280,
  decodedWidth: 1280,
  poor: false,
  ...patch,
});

/**
 * Drives a steering against a simulated SFU that switches to the asked layer (when the publisher sends it)
 * after `switchMs`, and answers the decoded width at each step.
 */
class Simulated {
  now = 0;
  decoded = 'f';
  #asked = 'f';
  #askedAt = 0;
  constructor(
    readonly steering = new LayerSteering(DEFAULT_SIMULCAST_LAYERS),
    readonly sent = new Set(['f', 'h', 'q']),
    readonly switchMs = 500,
  ) {}

  /** Runs `ms` in 100 ms ticks with the tile needing `needed` px; answers the last decoded width. */
  run(ms: number, patch: Partial<VideoView> = {}): number {
    for (const end = this.now + ms; this.now < end; this.now += 100) {
      if (
        this.#asked !== this.decoded &&
        this.sent.has(this.#asked) &&
        this.now - this.#askedAt >= this.switchMs
      )
        this.decoded = this.#asked;
      const rid = this.steering.update(view({ decodedWidth: WIDTH[this.decoded], ...patch }), this.now);
      if (rid !== this.#asked) {
        this.#asked = rid;
        this.#askedAt = this.now;
      }
    }
    return WIDTH[this.decoded];
  }
}

describe('LayerSteering', () => {
  it('keeps the full layer for a tile that needs it', () => {
    const sim = new Simulated();
    expect(sim.run(5_000, { neededWidth: 1200 })).to.equal(1280);
  });

  it('steps down one layer at a time as a tile shrinks, and back up as it grows', () => {
    const sim = new Simulated();
    expect(sim.run(2_000, { neededWidth: 600 })).to.equal(640);
    expect(sim.run(3_000, { neededWidth: 200 })).to.equal(320);
    expect(sim.run(4_000, { neededWidth: 1000 })).to.equal(1280);
  });

  it('has hysteresis: a tile a little smaller than a layer keeps it', () => {
    const sim = new Simulated();
    // 1280 covers 700 px; half of it (640) does not cover 85 % of 700 (595)? It does: 640 ≥ 595, so one step.
    expect(sim.run(3_000, { neededWidth: 700 })).to.equal(640);
    // and the step is not undone: 640 covers 85 % of 700.
    expect(sim.run(5_000, { neededWidth: 700 })).to.equal(640);
    // 800 px: 640 is under 85 % of it, so the full layer again, and no step down from there (640 < 680).
    expect(sim.run(5_000, { neededWidth: 800 })).to.equal(1280);
  });

  it('undoes a step to a layer that is not sent, and does not try it again for a while', () => {
    const sim = new Simulated(undefined, new Set(['f', 'h']));
    // Each step waits STEP_HOLD_MS, then the SFU's switch (500 ms here).
    expect(sim.run(2 * STEP_HOLD_MS + 1_000, { neededWidth: 200 })).to.equal(640);
    expect(sim.steering.rid).to.equal('q');
    sim.run(STEP_SETTLE_MS + 200, { neededWidth: 200 });
    expect(sim.steering.rid).to.equal('h', 'back on the layer that flows');
    sim.run(UNAVAILABLE_MS - STEP_SETTLE_MS - 1_000, { neededWidth: 200 });
    expect(sim.steering.rid).to.equal('h', 'q is not asked for again at once');
    sim.run(4_000, { neededWidth: 200 });
    expect(sim.steering.rid).to.equal('q', 'but is tried again later');
  });

  it('turns back at once when a tile grows while a step down to a layer that is not sent is pending', () => {
    const sim = new Simulated(undefined, new Set(['f', 'h']));
    sim.run(2 * STEP_HOLD_MS + 1_000, { neededWidth: 200 });
    expect(sim.steering.rid).to.equal('q', 'waiting to see whether q comes');
    expect(sim.run(STEP_HOLD_MS + 1_000, { neededWidth: 1200 })).to.equal(1280, 'no wait for that verdict');
    expect(sim.run(2 * STEP_HOLD_MS + 1_000, { neededWidth: 200 })).to.equal(640);
    expect(sim.steering.rid).to.equal('q', 'q was not marked unavailable by the cancelled step');
  });

  it('holds a size step for a moment: a tile resized back and forth by relayouts asks for nothing new', () => {
    const sim = new Simulated();
    let requests = 0;
    let asked = sim.steering.rid;
    for (let i = 0; i < 20; i++) {
      sim.run(STEP_HOLD_MS / 2, { neededWidth: i % 2 ? 1200 : 200 });
      if (sim.steering.rid !== asked) requests++;
      asked = sim.steering.rid;
    }
    expect(requests).to.equal(0);
    expect(sim.run(STEP_HOLD_MS + 1_000, { neededWidth: 600 })).to.equal(
      640,
      'a size that stays is followed',
    );
  });

  it('parks a hidden video on the lowest layer and goes straight back when shown', () => {
    const sim = new Simulated();
    sim.run(1_000, { neededWidth: 1280 });
    sim.run(100, { visible: false });
    expect(sim.steering.rid).to.equal('q');
    expect(sim.steering.update(view({ decodedWidth: 0 }), sim.now + 100)).to.equal('f');
  });

  it('keeps data saver on the lowest layer whatever the size', () => {
    const steering = new LayerSteering(DEFAULT_SIMULCAST_LAYERS);
    expect(steering.update(view({}), 0, true)).to.equal('q');
    expect(steering.update(view({ decodedWidth: 320 }), 5_000, true)).to.equal('q');
    expect(steering.update(view({ decodedWidth: 320 }), 6_000, false)).to.equal('f');
  });

  it('steps down on poor quality, and back up after it stays good for a while', () => {
    const sim = new Simulated();
    expect(sim.run(2_000, { neededWidth: 1280, poor: true })).to.equal(640);
    expect(sim.run(1_000, { neededWidth: 1280 })).to.equal(640, 'not at once');
    expect(sim.run(GOOD_RECOVERY_MS + 1_000, { neededWidth: 1280 })).to.equal(1280);
  });

  it('asks for nothing in particular with a single layer', () => {
    const steering = new LayerSteering([{ rid: '', scaleResolutionDownBy: 1, maxBitrateKbps: Infinity }]);
    expect(steering.update(view({ neededWidth: 100, visible: false }), 0)).to.equal('');
  });
});
