// Fault: one participant's browser disappears without leaving, and the others must drop its tile within 15 s.
// The victim runs in a Chromium of its own, so the whole browser can be killed or frozen (its renderer and
// network processes too) while the other pages' browser carries on. Used by test/faults/page-killed.test.ts
// and page-vanished.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { callRoomProbe } from './call-room-probe.js';
import { chromiumArgs } from './chromium-flags.mjs';
import { assertRecovered, joinParticipant, startCall, type Participant } from './fault-call.js';
import { startFaultStack, type FaultStack } from './fault-stack.js';

const GONE_WITHIN_MS = 15_000;

/** `pid` and every process below it (from /proc), parents first. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** A Chromium of its own, marked so its processes can be found: an unknown switch on its command line. */
export async function launchMarkedChromium(): Promise<{ browser: Browser; marker: string }> {
  const marker = `--fault-suite-victim=${randomUUID()}`;
  return { browser: await launchChromium({ args: [...chromiumArgs, marker] }), marker };
}

/** Sends `signal` to the marked browser's main process and everything below it. */
export function signalBrowser(marker: string, signal: NodeJS.Signals): void {
  const main = readdirSync('/proc').filter((entry) => {
    try {
      return (
        /^\d+$/.test(entry) && readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker)
      );
    } catch {
      return false;
    }
  });
  for (const p of main.flatMap((pid) => processTree(Number(pid)))) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Declares the suite: a call of three, then `makeGone` ends the third page's browser without a leave; the two
 * others must stop showing it within 15 s and carry on as a healthy call of two.
 */
export function describePageGone(title: string, makeGone: (victimMarker: string) => void): void {
  describe(`fault: ${title}`, () => {
    let stack: FaultStack;
    let browser: Browser;
    let victim: { browser: Browser; marker: string } | undefined;
    let call: Participant[];

    before(async () => {
      stack = await startFaultStack();
      browser = await launchChromium();
      victim = await launchMarkedChromium();
      call = await startCall(browser, stack.url, ['Ada', 'Brook']);
      call.push(await joinParticipant(victim.browser, stack.url, 'Cyd'));
    });

    after(async () => {
      if (victim) signalBrowser(victim.marker, 'SIGKILL');
      await browser?.close();
      await stack?.close();
    });

    /** The m-lines of the healthy call of three: the two left may keep (and should recycle) the dead pulls. */
    let transceiversBefore = Infinity;

    it('the call of three is healthy before the fault', async () => {
      transceiversBefore = (await assertRecovered(call, stack.sfu)).sfu?.transceivers ?? Infinity;
    });

    it('the others drop the page within 15 s and carry on', async (t) => {
      const gonePage = call.pop()!;
      const gone = Date.now();
      makeGone(victim!.marker);
      const deadline = gone + GONE_WITHIN_MS + 5_000;
      const dropped = await Promise.all(
        call.map(async ({ page }) => {
          while (Date.now() < deadline) {
            const s = await page.evaluate(callRoomProbe);
            if (!s.remote.some((tile) => tile.name === gonePage.name)) return Date.now() - gone;
            await new Promise((r) => setTimeout(r, 250));
          }
          return Infinity;
        }),
      );
      t.diagnostic(`dropped after ${dropped.map((ms) => `${ms} ms`).join(', ')}`);
      // The two left need no reconnect, so a shorter wait keeps a failing run within the file timeout.
      const recovery = await assertRecovered(call, stack.sfu, {
        timeoutMs: 20_000,
        maxTransceivers: transceiversBefore,
      }).catch((error: Error) => error);
      assert.ok(
        dropped.every((ms) => ms <= GONE_WITHIN_MS),
        `every page dropped ${gonePage.name} within ${GONE_WITHIN_MS} ms: ${JSON.stringify(dropped)}` +
          (recovery instanceof Error ? `\nand ${recovery.message}` : ''),
      );
      if (recovery instanceof Error) throw recovery;
      t.diagnostic(`SFU counts back after ${recovery.sfuMs} ms`);
    });
  });
}
