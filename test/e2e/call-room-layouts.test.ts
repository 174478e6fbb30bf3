// The room's layouts as people see them: 1, 2, 3 and 6 participants, and a screen share, on a desktop window
// (1280×800) and a phone (390×844), light and dark. Every tile keeps 16:9, stays inside the stage and off the
// controls, no two overlap, and rows are centred. Screenshots go to test-artifacts/layouts/ for people to look
// at (not committed). The chat panel is checked in both colour schemes for contrast.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { bundleTestPage, htmlRoute, repoRoot } from '../support/bundle-page.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';

const ARTIFACTS = join(repoRoot, 'test-artifacts', 'layouts');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** WCAG relative luminance of a computed `rgb(…)` colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two computed colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const VIEWPORTS = [
  ['desktop', { width: 1280, height: 800 }, 'light'],
  ['phone', { width: 390, height: 844 }, 'dark'],
] as const;

describe('<call-room> layouts', () => {
  let server: StaticServer;
  let browser: Browser;

  before(async () => {
    const script = await bundleTestPage('test/support/layout-page.ts');
    server = await startStaticServer(repoRoot, {
      '/layout.js': (_req, res) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(script),
      '/layout.html': htmlRoute(`<html lang="en"><meta charset="utf-8">
        <style>html,body{height:100%;margin:0}body{display:flex}call-room{flex:1}</style>
        <script type="module" src="/layout.js"></script>`),
    });
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(
    viewport: { width: number; height: number },
    colorScheme: 'light' | 'dark',
    query: string,
  ) {
    const page = await browser.newPage({ viewport, colorScheme });
    await page.goto(`${server.url}/layout.html?${query}`);
    await page.waitForFunction(() => {
      const stage = document.querySelector('call-room')?.shadowRoot?.querySelector('[part~="stage"]');
      return stage && !stage.hasAttribute('data-unmeasured');
    });
    await page.waitForTimeout(300); // canvas video frames
    return page;
  }

  // No named functions inside evaluate(): the TypeScript loader would wrap them in a helper the page lacks.
  const boxes = (page: Page) =>
    page.evaluate(() => {
      const root = document.querySelector('call-room')!.shadowRoot!;
      const [stage, controls, ...tiles] = [
        root.querySelector('[part~="stage"]')!,
        root.querySelector('[part~="controls"]')!,
        ...root.querySelectorAll('[part~="stage"] > video-tile'),
      ].map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      });
      return { stage: stage!, controls: controls!, tiles };
    });

  const overlaps = (a: Box, b: Box) =>
    a.x < b.x + b.width - 1 &&
    b.x < a.x + a.width - 1 &&
    a.y < b.y + b.height - 1 &&
    b.y < a.y + a.height - 1;

  for (const [device, viewport, scheme] of VIEWPORTS) {
    for (const count of [1, 2, 3, 6]) {
      it(`${device}, ${scheme}: ${count} participant(s) fill the stage in centred rows`, async () => {
        const page = await open(viewport, scheme, `participants=${count}`);
        await page.screenshot({ path: join(ARTIFACTS, `${device}-${scheme}-${count}.png`) });
        const { stage, controls, tiles } = await boxes(page);
        assert.equal(tiles.length, count);
        for (const tile of tiles) {
          assert.ok(tile.width > 100, `tiles are usable (${tile.width} px)`);
          assert.ok(Math.abs(tile.width / tile.height - 16 / 9) < 0.02, 'each tile keeps 16:9');
          assert.ok(tile.x >= stage.x - 1 && tile.x + tile.width <= stage.x + stage.width + 1, 'inside');
          assert.ok(tile.y >= stage.y - 1 && tile.y + tile.height <= stage.y + stage.height + 1, 'inside');
          assert.ok(!overlaps(tile, controls), 'clear of the controls');
        }
        for (let i = 0; i < tiles.length; i++)
          for (let j = i + 1; j < tiles.length; j++)
            assert.ok(!overlaps(tiles[i]!, tiles[j]!), `${i} and ${j}`);
        // Centred rows: each row's left and right margins inside the stage are equal.
        const rows = new Map<number, Box[]>();
        for (const tile of tiles)
          rows.set(Math.round(tile.y), [...(rows.get(Math.round(tile.y)) ?? []), tile]);
        for (const row of rows.values()) {
          const left = Math.min(...row.map((t) => t.x)) - stage.x;
          const right = stage.x + stage.width - Math.max(...row.map((t) => t.x + t.width));
          assert.ok(Math.abs(left - right) <= 2, `row centred (${left} vs ${right})`);
        }
        await page.close();
      });
    }

    it(`${device}, ${scheme}: 25 people with a stage of 9 show 10 tiles and one for the other 15`, async () => {
      const page = await open(viewport, scheme, 'participants=25&stage=9');
      await page.screenshot({ path: join(ARTIFACTS, `${device}-${scheme}-25-stage-9.png`) });
      const { stage, controls, tiles } = await boxes(page);
      assert.equal(tiles.length, 10, 'yourself and the 9 on the stage');
      const others = await page.evaluate(() => {
        const button = document.querySelector('call-room')!.shadowRoot!.querySelector('[part~="others"]')!;
        const r = button.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height, label: button.getAttribute('aria-label') };
      });
      assert.match(others.label ?? '', /\b15\b/);
      for (const box of [...tiles, others]) {
        assert.ok(box.x >= stage.x - 1 && box.x + box.width <= stage.x + stage.width + 1, 'inside');
        assert.ok(box.y >= stage.y - 1 && box.y + box.height <= stage.y + stage.height + 1, 'inside');
        assert.ok(!overlaps(box, controls), 'clear of the controls');
      }
      await page.close();
    });

    it(`${device}, ${scheme}: a screen share takes the stage, cameras a strip`, async () => {
      const page = await open(viewport, scheme, 'participants=3&screen=1');
      await page.screenshot({ path: join(ARTIFACTS, `${device}-${scheme}-screen.png`) });
      const layout = await page.evaluate(
        () =>
          document.querySelector('call-room')!.shadowRoot!.querySelector<HTMLElement>('[part~="stage"]')!
            .dataset.layout,
      );
      assert.equal(layout, 'spotlight');
      await page.close();
    });
  }

  const CHAT_VIEWS = [
    ...VIEWPORTS,
    ['desktop', { width: 1280, height: 800 }, 'dark'],
    ['phone', { width: 390, height: 844 }, 'light'],
  ] as const;
  for (const [device, viewport, scheme] of CHAT_VIEWS) {
    it(`${device}, ${scheme}: the chat panel follows the colour scheme and stays readable`, async () => {
      const page = await open(viewport, scheme, 'participants=3&chat');
      const room = page.locator('call-room');
      await room.locator('call-controls').getByRole('button', { name: /^Chat/ }).click();
      const chat = room.locator('call-chat');
      await chat.locator('[part~="message"]').first().waitFor();
      await page.waitForTimeout(200); // the panel's scroll to the latest
      await page.screenshot({ path: join(ARTIFACTS, `${device}-${scheme}-chat.png`) });
      const colours = await chat.evaluate((el) => {
        const root = el.shadowRoot!;
        const [message, notice, textarea] = ['[part~="message"]', '[part~="notice"]', 'textarea'].map(
          (selector) => getComputedStyle(root.querySelector(selector)!),
        );
        return {
          background: getComputedStyle(el).backgroundColor,
          message: message!.color,
          notice: notice!.color,
          composer: textarea!.color,
          composerBackground: textarea!.backgroundColor,
          messages: root.querySelectorAll('[part~="message"]').length,
          panelWidth: el.closest('[part~="chat"]')!.getBoundingClientRect().width,
        };
      });
      const background = luminance(colours.background);
      const message = contrast(colours.message, colours.background);
      const muted = contrast(colours.notice, colours.background);
      const composer = contrast(colours.composer, colours.composerBackground);
      if (scheme === 'dark') assert.ok(background < 0.1, `a dark panel (luminance ${background})`);
      else assert.ok(background > 0.8, `a light panel (luminance ${background})`);
      assert.ok(message >= 7, `messages read easily (contrast ${message.toFixed(1)})`);
      assert.ok(muted >= 4.5, `times and notices are readable (contrast ${muted.toFixed(1)})`);
      assert.ok(composer >= 7, `the composer's text reads easily (${composer.toFixed(1)})`);
      assert.equal(colours.messages, 4);
      if (device === 'phone')
        assert.ok(colours.panelWidth >= viewport.width - 1, `full screen (${colours.panelWidth} px)`);
      await page.close();
    });
  }
});
