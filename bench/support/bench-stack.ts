// The `npm start` stack for the browser benchmarks, with the local SFU in its own process (sfu-process.ts):
// the call server (demo token endpoint, presence, partytracks proxy, WHIP) runs here, beside the harness.
import { readDevStackConfig } from '../../server/node/config.js';
import { startDevStack, type DevStack } from '../../server/node/dev-stack.js';
import type { StaticRoots } from '../../server/node/static-files.js';
import { startSfuProcess, type SfuProcess } from './sfu-process.js';

export interface BenchStack {
  readonly url: string;
  readonly sfu: SfuProcess;
  close(): Promise<void>;
}

export async function startBenchStack(tokenSecret: string, staticRoots: StaticRoots): Promise<BenchStack> {
  const sfu = await startSfuProcess();
  let stack: DevStack;
  try {
    const upstream = {
      appId: sfu.appId,
      appSecret: sfu.appSecret,
      realtimeApiBaseUrl: `${sfu.baseUrl}/v1`,
      staticIceServers: [], // loopback only: never hand out a public STUN server
    };
    stack = await startDevStack(
      readDevStackConfig({
        PORT: '0',
        CALL_TOKEN_SECRET: tokenSecret,
        CALLS_APP_ID: sfu.appId,
        CALLS_APP_SECRET: sfu.appSecret,
        CALLS_API_BASE_URL: upstream.realtimeApiBaseUrl,
      }),
      { staticRoots, callServer: { upstream } },
    );
  } catch (error) {
    await sfu.close();
    throw error;
  }
  return {
    url: stack.url,
    sfu,
    async close() {
      await stack.close().catch(() => undefined);
      await sfu.close().catch(() => undefined);
    },
  };
}
