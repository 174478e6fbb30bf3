// Three pages, one room, on the Worker stack: the Worker and its Room object in workerd, the local SFU in Node.
import { startWorkerDemoStack } from '../support/worker-demo-stack.js';
import { threePageCall } from './call-room-three-pages.js';

threePageCall('<call-room> end to end on Workers: three pages, one room', startWorkerDemoStack);
