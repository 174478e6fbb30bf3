// Fault: the call server restarts mid-call (same port, same CALL_TOKEN_SECRET) while the SFU keeps running.
// Its memory is gone: presence rooms, and which SFU session belongs to whom. Every page must rejoin
// presence and either keep its SFU session or start a new one, with media both ways again; and a join after
// the restart (one page leaves and joins again) must not break the pages already there.
import { describe, it } from 'node:test';
import { assertRecovered, useFaultCall } from '../support/fault-call.js';
import { waitForRoom } from '../support/call-room-probe.js';

describe('fault: the call server restarts mid-call', () => {
  const fault = useFaultCall();

  it('recovers after a stop and a start on the same port with the same token secret', async (t) => {
    await fault.stack.stopCallServer();
    await new Promise((r) => setTimeout(r, 1_000));
    await fault.stack.startCallServer();
    const recovery = await assertRecovered(fault.call, fault.stack.sfu);
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });

  it('a page leaving and joining again after the restart leaves all three in a working call', async (t) => {
    const { page } = fault.call[2];
    await page.evaluate(() =>
      (document.querySelector('call-room') as unknown as { leave(): Promise<void> }).leave(),
    );
    await waitForRoom(page, (s) => s.state === 'left', 'left', 10_000);
    await page.evaluate(() =>
      (document.querySelector('call-room') as unknown as { join(): Promise<void> }).join(),
    );
    const recovery = await assertRecovered(fault.call, fault.stack.sfu);
    t.diagnostic(`three pages playing after ${recovery.pagesMs} ms`);
  });
});
