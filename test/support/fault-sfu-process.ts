// Child-process entry for the fault suite: the local SFU on a fixed port, as `npm run sfu` starts it, plus its
// counts over the IPC channel. In its own process the SFU can be SIGKILLed, restarted on the same port, or
// frozen with SIGSTOP, and the test still reads `stats()`, which the SFU does not serve over HTTP.
// Usage: fork('test/support/fault-sfu-process.ts', [port]) with SFU_APP_ID / SFU_APP_SECRET in the env.
import { startLocalSfu } from '../../server/sfu/index.js';
import { heapAfterGc, type ChildReply, type ChildRequest } from './fault-child-messages.js';

const port = Number(process.argv[2]);
const sfu = await startLocalSfu({
  port,
  host: '127.0.0.1',
  appId: process.env.SFU_APP_ID,
  appSecret: process.env.SFU_APP_SECRET,
});

process.on('message', (request: ChildRequest) => {
  if (request.type === 'sweep') sfu.sweep();
  const reply: ChildReply =
    request.type === 'stats'
      ? { id: request.id, type: 'stats', stats: sfu.stats(), heapUsed: heapAfterGc() }
      : request.type === 'heap'
        ? { id: request.id, type: 'heap', heapUsed: heapAfterGc() }
        : { id: request.id, type: 'swept' };
  process.send?.(reply);
});
// The test process is gone (or closed the channel): nothing should outlive it.
process.on('disconnect', () => void sfu.close().finally(() => process.exit(0)));
process.once('SIGTERM', () => void sfu.close().finally(() => process.exit(0)));

process.send?.({ id: 0, type: 'ready', baseUrl: sfu.baseUrl } satisfies ChildReply);
