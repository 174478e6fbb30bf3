// Runs inside a page (passed to page.evaluate): what the first <call-room> shows, read through shadow roots.
import type { Page } from 'playwright-core';

export interface TileSnapshot {
  name: string;
  local: boolean;
  source: string;
  muted: boolean;
  videoWidth: number;
  frames: number;
  trackMuted: boolean;
}

export interface RoomSnapshot {
  state: string;
  local: TileSnapshot[];
  remote: TileSnapshot[];
}

export function callRoomProbe(): RoomSnapshot {
  type Tile = HTMLElement & {
    participant?: { name: string; isLocal: boolean; video: Record<string, MediaStreamTrack> };
  };
  const room = document.querySelector('call-room') as (HTMLElement & { state?: string }) | null;
  const tiles = [...(room?.shadowRoot?.querySelectorAll<Tile>('video-tile') ?? [])].map((tile) => {
    const video = tile.shadowRoot?.querySelector('video');
    const source = tile.getAttribute('source') ?? 'camera';
    return {
      name: tile.participant?.name ?? '',
      local: tile.participant?.isLocal ?? false,
      source,
      muted: tile.matches(':state(muted)'),
      videoWidth: video?.videoWidth ?? 0,
      frames: video?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
      trackMuted: tile.participant?.video[source]?.muted ?? true,
    };
  });
  return {
    state: room?.state ?? 'none',
    local: tiles.filter((t) => t.local),
    remote: tiles.filter((t) => !t.local),
  };
}

/** Polls the page's first <call-room> until `test` holds; fails with the last snapshot otherwise. */
export async function waitForRoom(
  page: { evaluate(fn: () => RoomSnapshot): Promise<RoomSnapshot> },
  test: (s: RoomSnapshot) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<RoomSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: RoomSnapshot | undefined;
  while (Date.now() < deadline) {
    last = await page.evaluate(callRoomProbe);
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}; last snapshot: ${JSON.stringify(last)}`);
}

/** Presses Join on the page's pre-join screen (typing `name` first, when given), as a user does. */
export async function joinFromPrejoin(
  page: {
    getByRole(role: 'button', options: { name: string }): { click(): Promise<void> };
    getByLabel(text: string): { fill(value: string): Promise<void> };
  },
  name?: string,
): Promise<void> {
  if (name !== undefined) await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join now' }).click();
}

/** Sets boolean attributes on the page's <call-room> as soon as it is parsed, before it starts anything. */
export async function presetCallRoomAttributes(page: Page, names: readonly string[]): Promise<void> {
  await page.addInitScript((attributes: readonly string[]) => {
    new MutationObserver((_, observer) => {
      const room = document.querySelector('call-room');
      if (!room) return;
      for (const name of attributes) room.setAttribute(name, '');
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  }, names);
}
