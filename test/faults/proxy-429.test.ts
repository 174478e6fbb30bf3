// Fault: the SFU proxy answers 429 `rate_limited` with `Retry-After: 5` for 20 s (see
// test/support/fault-proxy-outage.ts): the pages must wait as told and retry, not end the call.
import { describeProxyOutage } from '../support/fault-proxy-outage.js';

describeProxyOutage({ status: 429, errorCode: 'rate_limited', headers: { 'retry-after': '5' } });
