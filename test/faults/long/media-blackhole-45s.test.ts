// Fault: one participant's media vanishes for 45 s (test/support/fault-blackhole.ts), longer than the SFU
// keeps a silent session: its tracks are gone when the datagrams flow again, so the page needs a new session.
import { describeMediaBlackhole } from '../../support/fault-blackhole.js';

describeMediaBlackhole(45_000);
