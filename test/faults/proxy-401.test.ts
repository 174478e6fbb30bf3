// Fault: the SFU proxy answers 401 `unauthorized` for 20 s (see test/support/fault-proxy-outage.ts).
import { describeProxyOutage } from '../support/fault-proxy-outage.js';

describeProxyOutage({ status: 401, errorCode: 'unauthorized' });
