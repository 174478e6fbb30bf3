// Fault: the SFU proxy answers 503 for 20 s, as an overloaded gateway in front of the call server would (see
// test/support/fault-proxy-outage.ts): the pages must retry with backoff until it answers again.
import { describeProxyOutage } from '../support/fault-proxy-outage.js';

describeProxyOutage({ status: 503, errorCode: 'upstream_unavailable', headers: { 'retry-after': '5' } });
