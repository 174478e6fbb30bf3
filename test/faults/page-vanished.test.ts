// Fault: a participant's machine vanishes (its browser SIGSTOPped, renderer and network processes too): its
// sockets stay open and nothing more comes from them, neither presence frames nor media, as when a laptop
// sleeps or drops off the network. See test/support/fault-page-gone.ts.
import { describePageGone, signalBrowser } from '../support/fault-page-gone.js';

describePageGone('a page vanishes without leaving (browser SIGSTOPped)', (marker) =>
  signalBrowser(marker, 'SIGSTOP'),
);
