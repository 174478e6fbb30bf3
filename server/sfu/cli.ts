// `npm run sfu [-- --port 8790 --app-id local --app-secret local-secret --test-controls]`: the local SFU on
// its own.
import { parseArgs } from 'node:util';
import { DEFAULT_SFU_PORT, startLocalSfu } from './node-server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: String(DEFAULT_SFU_PORT) },
    'app-id': { type: 'string', default: process.env.SFU_APP_ID ?? 'local' },
    'app-secret': { type: 'string', default: process.env.SFU_APP_SECRET ?? 'local-secret' },
    // Test-only routes (stats, media blackhole): for a fault suite that runs the SFU in its own process.
    'test-controls': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`sfu: --port must be 0-65535, got ${values.port}`);
  process.exit(2);
}

const sfu = await startLocalSfu({
  port,
  appId: values['app-id'],
  appSecret: values['app-secret'],
  testControls: values['test-controls'],
});
console.log(`local SFU listening on ${sfu.baseUrl}`);
console.log(`  API base (realtimeApiBaseUrl): ${sfu.baseUrl}/v1   app id: ${sfu.appId}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sfu.close().then(() => process.exit(0));
  });
}
