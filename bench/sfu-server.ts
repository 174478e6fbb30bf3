// The SFU side of `npm run bench -- sfu`: the local SFU in its own process (pinned to one core by the
// parent), answering metric requests over IPC, plus the same-run floor: werift's SRTP encryption of a
// packet and one UDP send, per packet, measured in this very process.
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { RtpHeader, SrtpSession } from 'werift';
import { startLocalSfu } from '../server/sfu/index.js';

type Request = { type: 'sample' } | { type: 'floor'; port: number; packets: number } | { type: 'close' };

const AEAD_AES_128_GCM = 7;
const sfu = await startLocalSfu({ port: 0, appId: 'bench', appSecret: 'bench', onError: () => {} });
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

function reply(message: unknown): void {
  process.send?.(message);
}

/** µs of CPU per packet for SRTP-encrypting 1,100 bytes (AES-128-GCM, werift's choice) and one UDP send. */
async function floor(port: number, packets: number): Promise<{ cpuUs: number; wallUs: number }> {
  const srtp = new SrtpSession({
    profile: AEAD_AES_128_GCM,
    keys: {
      localMasterKey: randomBytes(16),
      localMasterSalt: randomBytes(12),
      remoteMasterKey: randomBytes(16),
      remoteMasterSalt: randomBytes(12),
    },
  });
  const socket = createSocket('udp4');
  const payload = randomBytes(1100);
  const run = async (count: number) => {
    for (let sent = 0; sent < count;) {
      for (let i = 0; i < 50 && sent < count; i++, sent++) {
        const header = new RtpHeader({
          payloadType: 96,
          sequenceNumber: sent & 0xffff,
          timestamp: sent * 3000,
          ssrc: 1,
        });
        socket.send(srtp.encrypt(payload, header), port, '127.0.0.1');
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await run(2_000);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await run(packets);
  const cpu = process.cpuUsage(cpu0);
  const wallUs = ((performance.now() - wall0) * 1000) / packets;
  socket.close();
  return { cpuUs: (cpu.user + cpu.system) / packets, wallUs };
}

// BENCH_SFU_PROFILE=dir: CPU-profile each measurement window (between two samples) into that directory.
const profileDir = process.env.BENCH_SFU_PROFILE;
let inspector: Inspector | undefined;
let windows = 0;
async function toggleProfile(): Promise<void> {
  if (!profileDir) return;
  if (!inspector) {
    inspector = new Inspector();
    inspector.connect();
    await inspector.post('Profiler.enable');
  }
  if (windows++ % 2 === 0) return void (await inspector.post('Profiler.start'));
  const { profile } = await inspector.post('Profiler.stop');
  writeFileSync(`${profileDir}/sfu-window-${windows / 2}.cpuprofile`, JSON.stringify(profile));
}

process.on('message', (message: Request) => {
  void (async () => {
    if (message.type === 'sample') {
      const cpu = process.cpuUsage();
      reply({
        type: 'sample',
        cpuUs: cpu.user + cpu.system,
        stats: sfu.stats(),
        loopP99Ms: loop.percentile(99) / 1e6,
        rssMiB: process.memoryUsage().rss / 2 ** 20,
      });
      loop.reset();
      await toggleProfile();
    } else if (message.type === 'floor') {
      reply({ type: 'floor', ...(await floor(message.port, message.packets)) });
    } else {
      await sfu.close();
      process.exit(0);
    }
  })();
});

reply({ type: 'ready', baseUrl: sfu.baseUrl });
