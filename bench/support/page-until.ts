// Polls an expression in a page until it is truthy, failing with `what` after `timeoutMs`.
import type { Page } from 'playwright-core';

export async function untilInPage(page: Page, what: string, test: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await page.evaluate(test)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out: ${what}`);
}
