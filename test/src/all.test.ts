import { expect, waitUntil } from '@open-wc/testing';
import { FakeCallSession } from '../../src/testing/fake-call-session.js';

// Runs in its own page: nothing is registered until the test imports all.js, as on a site whose markup
// arrives before the script tag.
describe('all.js', () => {
  it('connects elements to their room whatever order they upgrade in', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false });
    document.body.innerHTML = '<call-room><call-controls slot="controls"></call-controls></call-room>';
    const room = document.querySelector('call-room')!;
    // Set before the upgrade: Lit keeps it as the property once the class arrives.
    (room as unknown as { session: FakeCallSession }).session = session;
    expect(customElements.get('call-room'), 'nothing registered yet').to.be.undefined;

    // call-room's module registers call-controls before call-room itself, so the controls ask for a session
    // before any provider exists; the ContextRoot from all.js answers them once the room upgrades.
    await import('../../src/all.js');
    const controls = document.querySelector('call-controls')!;
    await waitUntil(() => controls.shadowRoot?.querySelector('[part~="mic"]'), 'controls rendered');
    (controls.shadowRoot!.querySelector('[part~="mic"]') as HTMLButtonElement).click();
    expect(session.calls, 'the slotted controls drive the room session').to.include('setMicEnabled(false)');
    document.body.innerHTML = '';
  });
});
