// A page for layout tests: a full-window <call-room> on a FakeCallSession with canvas video, sized by the query
// (`?participants=3&screen=1`, `?participants=25&stage=9`). Bundled with esbuild by the test; no server or camera involved.
import '../../src/all.js';
import type { CallRoom } from '../../src/components/call-room/call-room.js';
import { FakeCallSession } from '../../src/testing/fake-call-session.js';

const params = new URLSearchParams(location.search);
const count = Number(params.get('participants') ?? '1');
const session = new FakeCallSession({
  participants: count,
  speaking: count > 1 ? [1] : [],
  muted: count > 2 ? [2] : [],
  screen: params.has('screen') ? [Number(params.get('screen'))] : [],
  ...(params.has('stage') && { stage: Number(params.get('stage')) }),
});
const room = document.createElement('call-room') as CallRoom;
room.session = session;
document.body.append(room);
