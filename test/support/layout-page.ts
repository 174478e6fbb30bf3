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

// `?chat`: a conversation for the chat panel (opened by the test): two senders, a link, right-to-left text, a
// message of this page's own and a dropped-flood notice.
if (params.has('chat') && session.chat) {
  const at = Date.now() - 60_000;
  session.chat.receive('p1', 'Morning! Notes are at https://example.com/notes', at);
  session.chat.receive('p1', 'Shall we start with the demo?', at + 5_000);
  session.chat.receive('p2', 'שלום לכולם, אני מוכן', at + 20_000);
  session.chat.send('Yes, sharing my screen now.');
  session.chat.drop('p2', 12);
}
