// Three pages, one room, on the `npm start` stack (Node call server + local SFU).
import { startDemoStack } from '../support/demo-stack.js';
import { threePageCall } from './call-room-three-pages.js';

threePageCall('<call-room> end to end: three pages, one room', startDemoStack);
