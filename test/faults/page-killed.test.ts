// Fault: a participant's browser is killed (SIGKILL, its renderer and network processes with it): no leave,
// no unload handlers, but the kernel closes its sockets. See test/support/fault-page-gone.ts.
import { describePageGone, signalBrowser } from '../support/fault-page-gone.js';

describePageGone('a page is killed without leaving (browser SIGKILLed)', (marker) =>
  signalBrowser(marker, 'SIGKILL'),
);
