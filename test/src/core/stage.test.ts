import { expect } from '@open-wc/testing';
import { StageRanking, type StageCandidate } from '../../../src/core/stage.js';

/** Participants p0…p(n-1), joined in that order, nobody speaking or pinned. */
const room = (n: number): StageCandidate[] =>
  Array.from({ length: n }, (_, i) => ({ id: `p${i}`, joinedAt: i, speaking: false, pinned: false }));

const set = (list: StageCandidate[], id: string, patch: Partial<StageCandidate>) =>
  list.map((c) => (c.id === id ? { ...c, ...patch } : c));

describe('StageRanking', () => {
  let stage: StageRanking;
  beforeEach(() => (stage = new StageRanking({ enterAfterMs: 500, minStayMs: 5_000 })));

  it('seats everyone when there is room, earliest joined first', () => {
    expect(stage.update(room(3), 9, 0)).to.deep.equal(['p0', 'p1', 'p2']);
  });

  it('fills the places by join time while nobody has spoken', () => {
    expect(stage.update(room(6), 2, 0)).to.deep.equal(['p0', 'p1']);
  });

  it('lets a speaker in after a short while, in the place of the least recent speaker', () => {
    let people = room(6);
    stage.update(people, 2, 0);
    people = set(people, 'p0', { speaking: true });
    stage.update(people, 2, 5_000);
    stage.update(people, 2, 5_600); // p0 has now spoken long enough to count
    people = set(people, 'p0', { speaking: false });
    people = set(people, 'p4', { speaking: true });
    expect(stage.update(people, 2, 10_000), 'a cough is not enough').to.deep.equal(['p0', 'p1']);
    expect(
      stage.update(people, 2, 10_600),
      'p4 replaces p1, who never spoke; p0 keeps its place',
    ).to.deep.equal(['p0', 'p4']);
  });

  it('keeps a place won by speaking for the minimum stay, not one filled by default', () => {
    let people = set(room(4), 'p2', { speaking: true });
    expect(stage.update(people, 2, 0)).to.deep.equal(['p0', 'p1']);
    expect(stage.update(people, 2, 600), 'p1 was only filling in').to.deep.equal(['p0', 'p2']);
    people = set(set(people, 'p2', { speaking: false }), 'p3', { speaking: true });
    stage.update(people, 2, 1_000);
    expect(stage.update(people, 2, 1_600), 'p3 takes p0’s place, p2’s is protected').to.deep.equal([
      'p3',
      'p2',
    ]);
    people = set(set(people, 'p3', { speaking: false }), 'p0', { speaking: true });
    stage.update(people, 2, 2_000);
    expect(stage.update(people, 2, 2_600), 'both entered < 5 s ago').to.deep.equal(['p3', 'p2']);
    expect(stage.update(people, 2, 6_700), 'p2 spoke least recently and stayed long enough').to.deep.equal([
      'p3',
      'p0',
    ]);
  });

  it('never drops someone who is speaking', () => {
    let people = set(set(room(3), 'p0', { speaking: true }), 'p1', { speaking: true });
    stage.update(people, 2, 0);
    stage.update(people, 2, 600);
    people = set(people, 'p2', { speaking: true });
    stage.update(people, 2, 10_000);
    expect(stage.update(people, 2, 10_600)).to.deep.equal(['p0', 'p1']);
  });

  it('puts pinned participants on, whatever their speaking', () => {
    const people = set(room(5), 'p4', { pinned: true });
    expect(stage.update(people, 2, 0)).to.deep.equal(['p4', 'p0']);
  });

  it('gives the first pins the places when there are more pins than places', () => {
    const people = room(4).map((c) => ({ ...c, pinned: true }));
    expect(stage.update(people, 2, 0)).to.deep.equal(['p0', 'p1']);
  });

  it('fills a leaver’s place without moving anyone else', () => {
    let people = room(5);
    expect(stage.update(people, 3, 0)).to.deep.equal(['p0', 'p1', 'p2']);
    people = people.filter((c) => c.id !== 'p1');
    expect(stage.update(people, 3, 100)).to.deep.equal(['p0', 'p3', 'p2']);
  });

  it('shrinks and grows with the number of places', () => {
    let people = room(5);
    stage.update(people, 4, 0);
    people = set(people, 'p3', { speaking: true });
    stage.update(people, 4, 100);
    stage.update(people, 4, 700);
    expect(stage.update(people, 2, 800), 'the least recent speakers go first').to.deep.equal(['p0', 'p3']);
    expect(stage.update(people, 4, 900)).to.deep.equal(['p0', 'p3', 'p1', 'p2']);
  });

  it('ranks recent speakers for the audio cap', () => {
    let people = room(4);
    people = set(people, 'p3', { speaking: true });
    stage.update(people, 1, 0);
    stage.update(people, 1, 600);
    expect(stage.recentSpeakers(people, 2)).to.deep.equal(['p3', 'p0']);
    expect(stage.pending, 'p3 still speaks').to.equal(true);
    stage.update(set(people, 'p3', { speaking: false }), 1, 700);
    expect(stage.pending).to.equal(false);
  });

  it('handles a thousand candidates quickly', () => {
    const people = room(1000);
    const started = performance.now();
    for (let t = 0; t < 20; t++) stage.update(set(people, `p${500 + t}`, { speaking: true }), 9, t * 600);
    expect(performance.now() - started).to.be.below(500);
  });
});
