import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../../src/define/call-player.js';
import { CallPlayer } from '../../../../src/components/call-player/call-player.js';
import type { CallErrorEvent } from '../../../../src/events/call-error.js';
import type { CallPlayerStateChangeEvent } from '../../../../src/events/call-player-state-change.js';

const part = (el: CallPlayer, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

describe('<call-player>', () => {
  it('is idle without a src: a muted video, no status, no unmute button, accessible', async () => {
    const el = await fixture<CallPlayer>(html`<call-player></call-player>`);
    expect(el).to.be.instanceOf(CallPlayer);
    expect(el.state).to.equal('idle');
    expect(el.muted).to.equal(true);
    expect((part(el, 'video') as HTMLVideoElement).muted).to.equal(true);
    expect(part(el, 'status')).to.equal(null);
    expect(part(el, 'unmute-button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('keeps retrying when the endpoint refuses, and says so through events and its status label', async () => {
    const states: string[] = [];
    const errors: string[] = [];
    const container = document.createElement('div');
    container.addEventListener('call-player-state-change', (e) =>
      states.push((e as CallPlayerStateChangeEvent).detail.state),
    );
    container.addEventListener('call-error', (e) => errors.push((e as CallErrorEvent).detail.code));
    document.body.append(container);
    const el = document.createElement('call-player');
    el.src = '/whep/nowhere-to-be-found';
    container.append(el);
    await waitUntil(() => el.state === 'reconnecting', 'reconnecting after the refusal', { timeout: 8_000 });
    expect(states.slice(0, 2)).to.deep.equal(['connecting', 'reconnecting']);
    expect(errors[0]).to.equal('connection-failed');
    expect(part(el, 'status')?.getAttribute('role')).to.equal('status');
    expect(part(el, 'status')?.textContent).to.equal('Reconnecting…');
    await expect(el).to.be.accessible();
    el.remove();
    expect(el.state).to.equal('idle', 'removing the element stops it');
    container.remove();
  });
});
