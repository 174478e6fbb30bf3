// Fault: the call server's SFU proxy answers every page with one error status for 20 s, as an auth hiccup, a
// rate limiter or an overloaded gateway would. To make the pages need the proxy during that window, one page
// loses its media connection (it must start a new SFU session) and another turns its camera off and on
// (close and re-publish). When the proxy answers again, the call must recover by itself.
// One status per test file (test/faults/proxy-401.test.ts, -429, -503): each file must finish within the test timeout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Route } from 'playwright-core';
import {
  assertRecovered,
  closePeerConnections,
  pressControl,
  useFaultCall,
  type Participant,
} from './fault-call.js';

const OUTAGE_MS = 20_000;
const PROXY = '**/partytracks/**';

export interface ProxyOutage {
  status: number;
  errorCode: string;
  headers?: Record<string, string>;
}

/** Declares the suite for one outage: a healthy call of three, 20 s of `outage`, then recovery. */
export function describeProxyOutage(outage: ProxyOutage): void {
  describe(`fault: the proxy answers ${outage.status} ${outage.errorCode} for 20 s`, () => {
    const fault = useFaultCall();
    const call = (): Participant[] => fault.call;

    it(`recovers once the proxy stops answering ${outage.status}`, async (t) => {
      let refused = 0;
      const refuse = (route: Route) => {
        refused++;
        return route.fulfill({
          status: outage.status,
          contentType: 'application/json',
          headers: outage.headers,
          body: JSON.stringify({
            errorCode: outage.errorCode,
            errorDescription: `fault suite: ${outage.status}`,
          }),
        });
      };
      for (const { page } of call()) await page.route(PROXY, refuse);
      const outageStart = Date.now();
      try {
        assert.equal(await closePeerConnections(call()[0]), 1, `${call()[0].name} had one media connection`);
        const pressed = await pressControl(call()[1], 'camera', 2, 2_000);
        t.diagnostic(`${call()[1].name}'s camera button after each press: ${JSON.stringify(pressed)}`);
        await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - outageStart)));
      } finally {
        for (const { page } of call()) await page.unroute(PROXY, refuse);
      }
      t.diagnostic(`${refused} proxy requests refused during the outage`);
      assert.ok(refused > 0, 'the pages asked the proxy during the outage');
      const recovery = await assertRecovered(call(), fault.stack.sfu);
      t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
    });
  });
}
