// Fault: the SFU process dies (SIGKILL) mid-call and comes back on the same port with none of its sessions.
// Every page must notice, start a new session, re-publish and re-pull, and show everyone playing again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRecovered, useFaultCall } from '../support/fault-call.js';

describe('fault: the SFU is killed and restarted mid-call', () => {
  const fault = useFaultCall();

  it('recovers after SIGKILL and a restart on the same port', async (t) => {
    await fault.stack.sfu.kill();
    assert.equal(fault.stack.sfu.running, false);
    await fault.stack.sfu.start();
    const recovery = await assertRecovered(fault.call, fault.stack.sfu);
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });
});
