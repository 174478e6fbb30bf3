// A real call for the fault suite: Chromium pages in one demo room, each recording what went wrong in it, and
// `assertRecovered`, the one verdict every fault ends with.
import { AssertionError } from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { callRoomProbe, joinFromPrejoin, waitForRoom, type RoomSnapshot } from './call-room-probe.js';
import { startFaultStack, type FaultStack, type SfuProcess, type SfuSample } from './fault-stack.js';

/** A page in the call and what it recorded. */
export interface Participant {
  readonly name: string;
  readonly page: Page;
  /** Uncaught errors Playwright saw (`pageerror`). */
  readonly pageErrors: string[];
}

export interface RecordedCallError {
  code: string;
  recoverable: boolean;
  message: string;
}

/** What the init script keeps in each page. */
interface FaultRecorder {
  faultRejections: string[];
  faultCallErrors: RecordedCallError[];
  /** Every RTCPeerConnection the page made, weakly held so the count does not keep them alive. */
  faultPeerConnections: WeakRef<RTCPeerConnection>[];
}

/** Opens the demo room in a new browser context of `browser` and joins it as `name` from the pre-join screen. */
export async function joinParticipant(browser: Browser, url: string, name: string): Promise<Participant> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const participant: Participant = { name, page, pageErrors: [] };
  page.on('pageerror', (error) => participant.pageErrors.push(error.stack ?? String(error)));
  await page.addInitScript(() => {
    const w = window as unknown as FaultRecorder;
    w.faultRejections = [];
    w.faultCallErrors = [];
    w.faultPeerConnections = [];
    window.addEventListener('unhandledrejection', (event) => {
      const reason = event.reason as { stack?: string } | undefined;
      w.faultRejections.push(String(reason?.stack ?? reason));
    });
    document.addEventListener('call-error', (event) => {
      const detail = (event as CustomEvent<RecordedCallError>).detail;
      w.faultCallErrors.push({ code: detail.code, recoverable: detail.recoverable, message: detail.message });
    });
    window.RTCPeerConnection = new Proxy(RTCPeerConnection, {
      construct(target, args, newTarget) {
        const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
        w.faultPeerConnections.push(new WeakRef(pc));
        return pc;
      },
    });
  });
  await page.goto(`${url}/`);
  await joinFromPrejoin(page, name);
  return participant;
}

/** Joins `names` one after another, each once the one before is `joined`; `assertRecovered` checks the call. */
export async function startCall(
  browser: Browser,
  url: string,
  names: readonly string[] = ['Ada', 'Brook', 'Cyd'],
): Promise<Participant[]> {
  const participants: Participant[] = [];
  for (const name of names) {
    const participant = await joinParticipant(browser, url, name);
    await waitForRoom(participant.page, (s) => s.state === 'joined', `${name} joined`, 20_000);
    participants.push(participant);
  }
  return participants;
}

/** The `unhandledrejection`s and `call-error`s the page recorded so far. */
export function recorded(participant: Participant): Promise<{
  rejections: string[];
  callErrors: RecordedCallError[];
}> {
  return participant.page.evaluate(() => {
    const w = window as unknown as FaultRecorder;
    return { rejections: w.faultRejections, callErrors: w.faultCallErrors };
  });
}

/** How many of the page's RTCPeerConnections are not closed (and not collected). */
export function livePeerConnections(participant: Participant): Promise<number> {
  return participant.page.evaluate(
    () =>
      (window as unknown as FaultRecorder).faultPeerConnections
        .map((ref) => ref.deref())
        .filter((pc) => pc && pc.connectionState !== 'closed').length,
  );
}

/** The local UDP port of the SFU session each of the page's live peer connections uses (from getStats). */
export function sfuPortsOf(participant: Participant): Promise<number[]> {
  return participant.page.evaluate(async () => {
    const ports: number[] = [];
    for (const ref of (window as unknown as FaultRecorder).faultPeerConnections) {
      const pc = ref.deref();
      if (!pc || pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      for (const stat of report.values() as IterableIterator<Record<string, unknown>>) {
        if (stat.type !== 'transport' || typeof stat.selectedCandidatePairId !== 'string') continue;
        const pair = report.get(stat.selectedCandidatePairId) as { remoteCandidateId: string } | undefined;
        const remote = pair && (report.get(pair.remoteCandidateId) as { port?: number } | undefined);
        if (remote?.port) ports.push(remote.port);
      }
    }
    return ports;
  });
}

export interface PresentedFrames {
  name: string;
  frames: number;
  width: number;
}

/**
 * Counts the frames each remote tile's <video> presents from now (requestVideoFrameCallback), until `wanted`
 * each or `timeoutMs`: only a track with media flowing now can reach `wanted`.
 */
export function presentedFrames(participant: Participant, wanted = 5, timeoutMs = 10_000) {
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  return participant.page.evaluate(
    async ([wanted, timeoutMs]) => {
      type Tile = HTMLElement & { participant?: { name: string; isLocal: boolean } };
      const room = document.querySelector('call-room');
      const tiles = [...(room?.shadowRoot?.querySelectorAll<Tile>('video-tile') ?? [])].filter(
        (tile) => tile.participant && !tile.participant.isLocal,
      );
      const deadline = performance.now() + timeoutMs;
      return Promise.all(
        tiles.map(async (tile): Promise<PresentedFrames> => {
          const name = tile.participant?.name ?? '';
          const video = tile.shadowRoot?.querySelector('video');
          if (!video) return { name, frames: 0, width: 0 };
          let frames = 0;
          while (frames < wanted && performance.now() < deadline) {
            const presented = await Promise.race([
              new Promise<boolean>((resolve) => video.requestVideoFrameCallback(() => resolve(true))),
              new Promise<boolean>((resolve) =>
                setTimeout(() => resolve(false), Math.max(0, deadline - performance.now())),
              ),
            ]);
            if (presented) frames++;
          }
          return { name, frames, width: video.videoWidth };
        }),
      );
    },
    [wanted, timeoutMs] as const,
  );
}

/**
 * What a healthy call of `n` pages, each publishing a camera and a microphone and pulling everyone else's,
 * holds on the SFU: one session each, two publications each, a forwarder per (publication, puller). M-lines
 * are never removed from a session, only recycled, so after a page rejoined (new pulls offered before the old
 * ones closed) a session may keep one spare pair besides its two pushes and two pulls per other page;
 * growth beyond that means closed m-lines are not recycled.
 */
export function healthySfuCounts(n: number) {
  return { sessions: n, publications: 2 * n, forwarders: 2 * n * (n - 1), maxTransceivers: n * (2 * n + 2) };
}

const countsMatch = (s: SfuSample, want: ReturnType<typeof healthySfuCounts>) =>
  s.sessions === want.sessions &&
  s.publications === want.publications &&
  s.forwarders === want.forwarders &&
  s.transceivers <= want.maxTransceivers;

const sameNames = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Each remote tile is one of the others, each other exactly once, all decoding unmuted video. */
function showsEveryoneElse(snapshot: RoomSnapshot, others: readonly string[]): boolean {
  return (
    snapshot.state === 'joined' &&
    sameNames(
      snapshot.remote.map((t) => t.name),
      others,
    ) &&
    snapshot.remote.every((t) => t.videoWidth > 0 && t.frames > 0 && !t.trackMuted)
  );
}

/** Identical messages (their first lines) once each, with how often they came: `"x" ×3; "y" ×1`. */
export function tally(messages: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const line = m.split('\n')[0];
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, n]) => `"${line}" ×${n}`).join('; ');
}

export interface RecoveryOptions {
  /** How long the pages may take to show everyone again. Default 45 s. */
  timeoutMs?: number;
  /**
   * How long, from the call, the SFU may take to drop what the fault left behind. Default 45 s (its GC needs
   * about 13 s after a session goes silent).
   */
  sfuTimeoutMs?: number;
  /**
   * At most this many m-lines on the SFU afterwards. Default: a healthy call of these pages. A call that lost
   * a page passes what it had before: closed m-lines stay in the SDP (to be recycled), never grow.
   */
  maxTransceivers?: number;
}

export interface Recovery {
  /** From the call until every page showed everyone else playing. */
  pagesMs: number;
  /** From the call until the SFU's counts were back. */
  sfuMs: number;
  sfu: SfuSample | undefined;
}

/**
 * The verdict after a fault: every page `joined`, showing each other page exactly once with unmuted video
 * whose frames advance now; no page error, no unhandled rejection, no call-error that ended the call; and the
 * SFU holding what a healthy call of these pages holds. Reports every problem found, not only the first.
 */
export async function assertRecovered(
  participants: readonly Participant[],
  sfu: SfuProcess,
  options: RecoveryOptions = {},
): Promise<Recovery> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 45_000);
  const problems: string[] = [];
  const names = participants.map((p) => p.name);

  const views = await Promise.all(
    participants.map(async (p) => {
      const others = names.filter((n) => n !== p.name);
      try {
        await waitForRoom(p.page, (s) => showsEveryoneElse(s, others), 'x', options.timeoutMs ?? 45_000);
        return true;
      } catch {
        const last = await p.page.evaluate(callRoomProbe).catch((e: unknown) => String(e));
        problems.push(`${p.name} does not show ${others.join(' and ')} playing: ${JSON.stringify(last)}`);
        return false;
      }
    }),
  );
  const pagesMs = Date.now() - started;

  await Promise.all(
    participants.map(async (p, i) => {
      if (!views[i]) return;
      // Three frames in 10 s: a frozen picture presents none, and a machine this loaded may manage few. A page
      // may show a dead connection's last picture until it notices (an SFU that died: ICE takes ~15 s), so
      // look again until the recovery budget is spent.
      const isStuck = (s: PresentedFrames) => s.frames < 3 || s.width === 0;
      let shown = await presentedFrames(p, 3);
      while (shown.some(isStuck) && deadline - Date.now() > 3_000) {
        shown = await presentedFrames(p, 3, Math.min(10_000, deadline - Date.now()));
      }
      if (shown.some(isStuck))
        problems.push(`${p.name}'s remote frames do not advance: ${JSON.stringify(shown)}`);
    }),
  );

  for (const p of participants) {
    if (p.pageErrors.length > 0) problems.push(`${p.name} page errors: ${tally(p.pageErrors)}`);
    const { rejections, callErrors } = await recorded(p);
    if (rejections.length > 0) problems.push(`${p.name} unhandled rejections: ${tally(rejections)}`);
    const fatal = callErrors.filter((e) => !e.recoverable);
    if (fatal.length > 0) problems.push(`${p.name} call-errors that end the call: ${JSON.stringify(fatal)}`);
  }

  // One budget from the start: a call whose pages never came back does not wait for the SFU as well.
  const want = healthySfuCounts(participants.length);
  if (options.maxTransceivers !== undefined) want.maxTransceivers = options.maxTransceivers;
  let sample: SfuSample | undefined;
  const sfuDeadline = started + (options.sfuTimeoutMs ?? 45_000);
  for (;;) {
    sample = await sfu.stats().catch(() => undefined);
    if ((sample && countsMatch(sample, want)) || Date.now() > sfuDeadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const sfuMs = Date.now() - started;
  if (!sample || !countsMatch(sample, want)) {
    problems.push(
      `SFU counts ${JSON.stringify(sample)}; wanted ${JSON.stringify(want)} for a call of ${participants.length}`,
    );
  }

  if (problems.length > 0) {
    throw new AssertionError({
      message: `the call did not recover:\n- ${problems.join('\n- ')}\nSFU log tail:\n${sfu.tail()}`,
    });
  }
  return { pagesMs, sfuMs, sfu: sample };
}

/**
 * Closes the page's live peer connections, as a dropped network would end them: partytracks then starts a new
 * SFU session and re-publishes (close() fires no event itself; partytracks reads connectionState on
 * connectionstatechange). Returns how many it closed.
 */
export function closePeerConnections(participant: Participant): Promise<number> {
  return participant.page.evaluate(() => {
    const live = (window as unknown as FaultRecorder).faultPeerConnections
      .map((ref) => ref.deref())
      .filter((pc): pc is RTCPeerConnection => !!pc && pc.connectionState !== 'closed');
    for (const pc of live) {
      pc.close();
      pc.dispatchEvent(new Event('connectionstatechange'));
    }
    return live.length;
  });
}

/**
 * Presses a toggle of the page's call controls (`camera`, `mic`, `screen`: its part name) `times` times,
 * `intervalMs` apart. Returns the button's pressed state after each press, `null` where there was no button
 * (the call had ended).
 */
export function pressControl(
  participant: Participant,
  part: 'camera' | 'mic' | 'screen',
  times = 1,
  intervalMs = 0,
): Promise<(boolean | null)[]> {
  return participant.page.evaluate(
    async ([part, times, intervalMs]) => {
      const pressed: (boolean | null)[] = [];
      const start = performance.now();
      for (let i = 0; i < times; i++) {
        const button = document
          .querySelector('call-room')
          ?.shadowRoot?.querySelector('call-controls')
          ?.shadowRoot?.querySelector<HTMLButtonElement>(`button[part~="${part}"]`);
        button?.click();
        // On a fixed cadence from the start, however long each press took.
        await new Promise((r) => setTimeout(r, start + (i + 1) * intervalMs - performance.now()));
        pressed.push(button ? button.getAttribute('aria-pressed') === 'true' : null);
      }
      return pressed;
    },
    [part, times, intervalMs] as const,
  );
}

/** A fault test's call of three, filled in by the hooks `useFaultCall` registers. */
export interface FaultCall {
  stack: FaultStack;
  browser: Browser;
  call: Participant[];
}

/**
 * Inside a fault's `describe`: starts the fault stack, Chromium and a call of three before the tests, closes
 * them after, and first checks the call is healthy before the fault. `beforeStart` runs first (e.g. a check
 * that the test is in a private network namespace).
 */
export function useFaultCall(options: { beforeStart?: () => void } = {}): FaultCall {
  const fault = {} as FaultCall;
  before(async () => {
    options.beforeStart?.();
    fault.stack = await startFaultStack();
    fault.browser = await launchChromium();
    fault.call = await startCall(fault.browser, fault.stack.url);
  });
  after(async () => {
    await fault.browser?.close();
    await fault.stack?.close();
  });
  it('the call of three is healthy before the fault', async (t) => {
    const recovery = await assertRecovered(fault.call, fault.stack.sfu);
    t.diagnostic(`healthy after ${recovery.pagesMs} ms; SFU ${JSON.stringify(recovery.sfu)}`);
  });
  return fault;
}
