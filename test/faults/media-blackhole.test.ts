// Fault: one participant's media vanishes for 10 s (test/support/fault-blackhole.ts).
import { describeMediaBlackhole } from '../support/fault-blackhole.js';

describeMediaBlackhole(10_000);
