// Browser unit tests: `web-test-runner --config test/web-test-runner.config.mjs` from the repo root.
// Paths below are relative to the working directory (the repo root), as @web/test-runner resolves them.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumArgs, chromiumPath } from './support/chromium-flags.mjs';

export default {
  files: ['test/src/**/*.test.ts'],
  nodeResolve: true,
  hostname: '127.0.0.1',
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: chromiumPath, headless: true, args: chromiumArgs },
    }),
  ],
  // tiny-invariant (a partytracks dependency) reads process.env.NODE_ENV, which browsers don't have.
  testRunnerHtml: (testFramework) => `<html><head>
    <script>window.process = { env: { NODE_ENV: 'development' } };</script></head>
    <body><script type="module" src="${testFramework}"></script></body></html>`,
  testFramework: { config: { timeout: 10000 } },
};
