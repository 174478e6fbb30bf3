import { expect } from '@open-wc/testing';
import { Subject } from 'rxjs';
import { speakingAnnouncements$ } from '../../../src/core/speaking-announcer.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('speakingAnnouncements$', () => {
  it('announces a voice that lasts and a pause that lasts, nothing for a blip or at the start', async () => {
    const above$ = new Subject<boolean>();
    const said: boolean[] = [];
    const subscription = speakingAnnouncements$(above$).subscribe((s) => said.push(s));
    above$.next(false);
    await wait(900);
    expect(said, 'silent at the start says nothing').to.deep.equal([]);
    above$.next(true);
    await wait(50);
    above$.next(false);
    await wait(900);
    expect(said, 'a blip is not speech').to.deep.equal([]);
    above$.next(true);
    await wait(300);
    expect(said).to.deep.equal([true]);
    above$.next(false);
    await wait(300);
    above$.next(true);
    await wait(300);
    expect(said, 'a short pause keeps speaking').to.deep.equal([true]);
    above$.next(false);
    await wait(900);
    expect(said).to.deep.equal([true, false]);
    subscription.unsubscribe();
  });
});
