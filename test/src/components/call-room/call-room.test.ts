import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define/call-room.js';
import { CallRoom } from '../../../../src/components/call-room/call-room.js';
import type { VideoTile } from '../../../../src/components/video-tile/video-tile.js';
import type { CallPrejoin } from '../../../../src/components/call-prejoin/call-prejoin.js';
import { styles } from '../../../../src/components/call-room/call-room.styles.js';
import { expectTokenContract } from '../../../support/token-contract.js';
import { FakeCallSession, type FakeSessionOptions } from '../../../../src/testing/fake-call-session.js';
import type { CallParticipantJoinedEvent } from '../../../../src/events/call-participant-joined.js';
import type { CallMediaChangeEvent } from '../../../../src/events/call-media-change.js';
import type { CallStateChangeEvent } from '../../../../src/events/call-state-change.js';
import type { CallErrorEvent } from '../../../../src/events/call-error.js';
import type { CallStageChangeEvent } from '../../../../src/events/call-stage-change.js';

const part = (el: CallRoom, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const tiles = (el: CallRoom) => [...el.shadowRoot!.querySelectorAll<VideoTile>('[part~="stage"] video-tile')];

async function room(options: FakeSessionOptions = {}) {
  const session = new FakeCallSession({ withVideo: false, ...options });
  const el = await fixture<CallRoom>(html`<call-room room="standup" .session=${session}></call-room>`);
  await el.updateComplete;
  return { el, session };
}

describe('<call-room>', () => {
  it('reads tokens with literal fallbacks and declares no public ones', () => {
    expectTokenContract(CallRoom.styles, styles);
  });

  it('has the documented defaults and reads presence booleans', async () => {
    const el = await fixture<CallRoom>(html`<call-room muted camera-off manual-join></call-room>`);
    expect([el.muted, el.cameraOff, el.manualJoin], 'muted, camera-off, manual-join').to.deep.equal([
      true,
      true,
      true,
    ]);
    const plain = await fixture<CallRoom>(html`<call-room></call-room>`);
    expect([plain.muted, plain.cameraOff, plain.manualJoin], 'defaults off').to.deep.equal([
      false,
      false,
      false,
    ]);
    expect(part(plain, 'message')!.textContent, 'explains what is missing').to.contain('token endpoint');
    await expect(plain).to.be.accessible();
  });

  it('keeps audio="false", video="false" and autojoin="false" working, with a warning each', async () => {
    const warnings: string[] = [];
    const realWarn = console.warn;
    const realFetch = window.fetch;
    const fetched: string[] = [];
    console.warn = (message: string) => void warnings.push(message);
    window.fetch = async (url) => (fetched.push(String(url)), new Response('{}', { status: 500 }));
    try {
      const el = await fixture<CallRoom>(
        html`<call-room
          token-endpoint="/t"
          room="r"
          without-prejoin
          audio="false"
          video="off"
          autojoin="false"
        ></call-room>`,
      );
      expect(el.matches(':state(idle)'), 'autojoin="false" waits for a click').to.be.true;
      expect(part(el, 'button')?.textContent).to.contain('Join');
      expect(fetched, 'no token requested').to.deep.equal([]);
      expect(warnings.length).to.equal(3);
      expect(warnings.join('\n'))
        .to.contain('use muted')
        .and.contain('use camera-off')
        .and.contain('use manual-join');
      await fixture<CallRoom>(html`<call-room audio="true" autojoin></call-room>`);
      expect(warnings.length, 'nothing to warn about for the values that mean on').to.equal(3);
    } finally {
      console.warn = realWarn;
      window.fetch = realFetch;
    }
  });

  it('asks for a click when the browser blocks audio, and resumes it', async () => {
    const { el, session } = await room({ participants: 2 });
    expect(part(el, 'audio-prompt'), 'no prompt while audio plays').to.be.null;
    session.setAudioBlocked(true);
    await el.updateComplete;
    expect(el.matches(':state(audio-blocked)')).to.be.true;
    const prompt = part(el, 'audio-prompt')!;
    expect(prompt.textContent).to.contain('audio');
    await expect(el).to.be.accessible();
    prompt.click();
    await el.updateComplete;
    expect(session.calls).to.include('resumeAudio()');
    expect(part(el, 'audio-prompt'), 'gone once audio plays').to.be.null;
    expect(el.matches(':state(audio-blocked)')).to.be.false;
  });

  for (const count of [1, 4, 9]) {
    it(`shows ${count} participant(s) in a grid, self first and mirrored, and is accessible`, async () => {
      const { el } = await room({ participants: count });
      expect(tiles(el).length, 'one tile each').to.equal(count);
      expect(tiles(el)[0].participant?.isLocal, 'self first').to.be.true;
      expect(tiles(el)[0].hasAttribute('mirrored'), 'self view mirrored').to.be.true;
      expect(el.matches(':state(joined)')).to.be.true;
      expect(Boolean(part(el, 'empty')), 'placeholder only when alone').to.equal(count === 1);
      await expect(el).to.be.accessible();
    });
  }

  it('puts a screen share on the stage and the cameras in a strip', async () => {
    const { el, session } = await room({ participants: 3, screen: [1], withVideo: true });
    after(() => session.dispose());
    expect(part(el, 'stage')!.dataset.layout).to.equal('spotlight');
    const screenTiles = tiles(el).filter((t) => t.getAttribute('source') === 'screen');
    expect(screenTiles.map((t) => t.participant?.id)).to.deep.equal(['p1']);
    await screenTiles[0].updateComplete;
    const video = screenTiles[0].shadowRoot!.querySelector('video')!;
    expect(video.classList.contains('contain'), 'screens are never cropped').to.be.true;
  });

  it('shows the quality bars only when the connection is fair or poor', async () => {
    const { el, session } = await room({ participants: 2 });
    const remote = tiles(el).find((t) => !t.participant?.isLocal)!;
    expect(remote.qualityIndicator).to.equal('issues');
    await waitUntil(() => remote.matches(':not(:state(poor-network))'), 'measured');
    await remote.updateComplete;
    expect(remote.shadowRoot!.querySelector('[part~="quality"]'), 'good: no bars').to.be.null;
    session.setStats({ packetLossPercent: 9 });
    await waitUntil(() => remote.shadowRoot!.querySelector('[part~="quality"]'), 'poor: bars');
  });

  it('makes each tile one Tab stop: Tab reaches the microphone after one stop per tile', async () => {
    const { el } = await room({ participants: 4 });
    const controls = el.shadowRoot!.querySelector('call-controls')!;
    await controls.updateComplete;
    const mic = controls.shadowRoot!.querySelector('[part~="mic"]')!;
    (document.activeElement as HTMLElement | null)?.blur();
    let stops = 0;
    while (controls.shadowRoot!.activeElement !== mic && stops < 20) {
      await sendKeys({ press: 'Tab' });
      stops++;
    }
    expect(stops, 'one stop per tile, then the microphone').to.be.at.most(tiles(el).length + 1);
    const focusedInTile = part(el, 'tile-menu-button');
    expect(focusedInTile?.getAttribute('aria-label')).to.match(/^More options for /);
  });

  it('pins a tile from its menu onto the stage, and unpins it', async () => {
    const { el, session } = await room({ participants: 3 });
    const target = tiles(el).find((t) => t.participant?.id === 'p2')!;
    const button = target.querySelector<HTMLButtonElement>('[part~="tile-menu-button"]')!;
    button.click();
    const menu = el.shadowRoot!.getElementById(button.getAttribute('popovertarget')!)!;
    expect(menu.matches(':popover-open'), 'the menu opens').to.be.true;
    await expect(el).to.be.accessible();
    [...menu.querySelectorAll('button')].find((b) => b.textContent!.includes('Pin'))!.click();
    await el.updateComplete;
    expect(part(el, 'stage')!.dataset.layout).to.equal('spotlight');
    const spotlight = el.shadowRoot!.querySelector('.spotlight video-tile') as VideoTile;
    expect(spotlight.participant?.id).to.equal('p2');
    const again = spotlight.querySelector<HTMLButtonElement>('[part~="tile-menu-button"]')!;
    again.click();
    const menuAgain = el.shadowRoot!.getElementById(again.getAttribute('popovertarget')!)!;
    [...menuAgain.querySelectorAll('button')].find((b) => b.textContent!.includes('Unpin'))!.click();
    await el.updateComplete;
    expect(part(el, 'stage')!.dataset.layout).to.equal('grid');
    expect(
      session.calls.filter((c) => c.startsWith('setPinned')),
      'the session keeps the pin on the stage',
    ).to.deep.equal(['setPinned(p2, true)', 'setPinned(p2, false)']);
  });

  it('gives the session a stage size, and shows everyone off the stage on one "+N" tile', async () => {
    const { el, session } = await room({ participants: 6 });
    expect(session.calls, 'desktop default').to.include('setMaxVideo(9)');
    el.maxVideo = 2;
    await el.updateComplete;
    expect(session.calls).to.include('setMaxVideo(2)');
    const stageEvents: CallStageChangeEvent[] = [];
    el.addEventListener('call-stage-change', (e) => stageEvents.push(e));
    for (const id of ['p3', 'p4', 'p5']) session.updateParticipant(id, { onStage: false });
    await el.updateComplete;
    expect(tiles(el).map((t) => t.participant?.id)).to.deep.equal(['local', 'p1', 'p2']);
    const others = part(el, 'others') as HTMLButtonElement;
    expect(others.textContent).to.contain('+3');
    expect(others.getAttribute('aria-label')).to.equal(
      '3 more people: Katherine Johnson, Linus Torvalds, Barbara Liskov. Show everyone',
    );
    await expect(el).to.be.accessible();
    const { detail } = stageEvents.at(-1)!;
    expect(detail.offStage.map((p) => p.id)).to.deep.equal(['p3', 'p4', 'p5']);
    expect(detail.stage.map((p) => p.id)).to.deep.equal(['p1', 'p2']);
    others.click();
    await el.updateComplete;
    expect(part(el, 'people'), 'opens the people panel').to.exist;
  });

  it('shows a tile’s connection details in a dialog from its menu', async () => {
    const { el } = await room({ participants: 2 });
    const remote = tiles(el).find((t) => !t.participant?.isLocal)!;
    const button = remote.querySelector<HTMLButtonElement>('[part~="tile-menu-button"]')!;
    button.click();
    const menu = el.shadowRoot!.getElementById(button.getAttribute('popovertarget')!)!;
    [...menu.querySelectorAll('button')].find((b) => b.textContent!.includes('Connection details'))!.click();
    await el.updateComplete;
    const dialog = part(el, 'connection-details') as HTMLDialogElement;
    expect(dialog.open).to.be.true;
    const badge = dialog.querySelector('stats-badge')!;
    expect([badge.participantId, badge.expanded]).to.deep.equal(['p1', true]);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(dialog.open).to.be.false;
  });

  it('in the speaker view puts whoever spoke last on the stage, and keeps them through a silence', async () => {
    const { el, session } = await room({ participants: 3 });
    el.layout = 'speaker';
    await el.updateComplete;
    expect(part(el, 'stage')!.dataset.layout).to.equal('spotlight');
    session.updateParticipant('p2', { speaking: true });
    await el.updateComplete;
    const onStage = () =>
      (el.shadowRoot!.querySelector('.spotlight video-tile') as VideoTile).participant?.id;
    expect(onStage()).to.equal('p2');
    session.updateParticipant('p2', { speaking: false });
    await el.updateComplete;
    expect(onStage(), 'still p2 after they stop').to.equal('p2');
  });

  it('shows the pre-join screen while idle, and joins from it with the typed name', async () => {
    localStorage.removeItem('call-elements-display-name');
    const { el, session } = await room({ state: 'idle', participants: 1 });
    expect(el.matches(':state(idle)')).to.be.true;
    const prejoin = part(el, 'prejoin') as CallPrejoin;
    expect(prejoin, 'a pre-join screen').to.exist;
    await prejoin.updateComplete;
    expect(session.calls, 'the preview opened').to.include('startPreview()');
    expect(prejoin.shadowRoot!.querySelector('[part~="room"]')!.textContent).to.contain('standup');
    const input = prejoin.shadowRoot!.querySelector('input')!;
    input.value = 'Ada';
    input.dispatchEvent(new Event('input'));
    prejoin.shadowRoot!.querySelector<HTMLButtonElement>('[part~="join"]')!.click();
    expect(session.calls).to.include('join(Ada)');
    await el.updateComplete;
    expect(part(el, 'prejoin'), 'gone once joined').to.be.null;
    expect(session.calls, 'the joined call keeps the previewed camera').to.not.include('stopPreview()');
    localStorage.removeItem('call-elements-display-name');
  });

  it('without-prejoin manual-join shows a lone Join button', async () => {
    const session = new FakeCallSession({ withVideo: false, state: 'idle' });
    const el = await fixture<CallRoom>(
      html`<call-room without-prejoin manual-join .session=${session}></call-room>`,
    );
    expect(part(el, 'prejoin')).to.be.null;
    part(el, 'button')!.click();
    expect(session.calls.filter((c) => !c.startsWith('setMaxVideo'))).to.deep.equal(['join()']);
    await expect(el).to.be.accessible();
  });

  const screens = {
    left: 'Join again',
    error: 'Try again',
  } as const;
  for (const [state, text] of Object.entries(screens)) {
    it(`shows a designed ${state} screen with a custom state`, async () => {
      const { el, session } = await room({ state: state as keyof typeof screens });
      expect(el.matches(`:state(${state})`), `:state(${state})`).to.be.true;
      expect(part(el, 'message')!.textContent, 'visible text').to.contain(text);
      expect(part(el, 'stage'), 'no stage').to.be.null;
      await expect(el).to.be.accessible();
      const button = part(el, 'button');
      if (button) {
        button.click();
        expect(session.calls, 'buttons join').to.include('join()');
      }
    });
  }

  it('shows the session error message in the error state', async () => {
    const { el, session } = await room();
    const error = oneEvent(el, 'call-error') as Promise<CallErrorEvent>;
    session.emitError({ code: 'forbidden', message: 'Not your room.', recoverable: false });
    expect((await error).detail.code, 'call-error forwarded').to.equal('forbidden');
    session.setState('error');
    await el.updateComplete;
    expect(part(el, 'message')!.textContent).to.contain('Not your room.');
  });

  it('says what went wrong in words for people, keeps the detail one click away, and offers a way out', async () => {
    const { el, session } = await room();
    session.emitError({ code: 'connection-failed', message: 'presence closed with 1006', recoverable: true });
    session.setState('error');
    await el.updateComplete;
    const message = part(el, 'message')!;
    expect(message.querySelector('p')!.textContent).to.contain('Can’t reach the call service');
    const details = part(el, 'details') as HTMLDetailsElement;
    expect(details.open, 'collapsed').to.be.false;
    expect(details.textContent).to.contain('presence closed with 1006').and.contain('connection-failed');
    await expect(el).to.be.accessible();
    part(el, 'cancel')!.click();
    await waitUntil(() => session.calls.includes('leave()'), 'Cancel leaves');
  });

  for (const [code, words] of [
    ['forbidden', 'don’t have access'],
    ['token-failed', 'couldn’t be let in'],
    ['rate-limited', 'Too many tries'],
    ['unsupported', 'can’t join video calls'],
  ] as const) {
    it(`words a ${code} error for people`, async () => {
      const { el, session } = await room();
      session.emitError({ code, message: 'technical', recoverable: false });
      session.setState('error');
      await el.updateComplete;
      expect(part(el, 'message')!.querySelector('p')!.textContent).to.contain(words);
    });
  }

  it('offers Cancel while joining', async () => {
    const { el, session } = await room({ state: 'joining' });
    part(el, 'cancel')!.click();
    await waitUntil(() => session.calls.includes('leave()'), 'Cancel leaves');
  });

  it('shows the stage at once when the join took over an early connection, the controls after joined', async () => {
    const { el, session } = await room({ state: 'idle', participants: 2 });
    session.joiningConnected = true;
    session.setState('joining');
    await el.updateComplete;
    expect(tiles(el).length, 'the tiles wait for their video').to.equal(2);
    expect(part(el, 'cancel'), 'no joining screen').to.be.null;
    expect(el.shadowRoot!.querySelector('call-controls'), 'controls wait for the first frame').to.be.null;
    expect(part(el, 'empty'), 'not "waiting for others" before presence answered').to.be.null;
    session.joiningConnected = false;
    session.setState('joined');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('call-controls'), 'not in the task of the first frame').to.be.null;
    await waitUntil(() => el.shadowRoot!.querySelector('call-controls'), 'the controls come once painted');
    expect(tiles(el).length).to.equal(2);
    await expect(el).to.be.accessible();
  });

  it('shows the joining screen when the join connects only now', async () => {
    const { el, session } = await room({ state: 'idle', participants: 2 });
    session.setState('joining');
    await el.updateComplete;
    expect(part(el, 'cancel')).to.exist;
    expect(tiles(el).length).to.equal(0);
  });

  it('shows a device problem as a dismissible notice over the call, not an error screen', async () => {
    const { el, session } = await room({ participants: 2 });
    session.emitError({ code: 'no-device', message: 'NotFoundError', recoverable: true });
    await el.updateComplete;
    const notice = part(el, 'notice')!;
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(notice.textContent).to.contain('No camera or microphone found');
    expect(tiles(el).length, 'the call goes on').to.equal(2);
    await expect(el).to.be.accessible();
    notice.querySelector('button')!.click();
    await el.updateComplete;
    expect(part(el, 'notice')).to.be.null;
  });

  it('opens the list of people from the controls, and closes it with Escape', async () => {
    const { el } = await room({ participants: 3 });
    const controls = el.shadowRoot!.querySelector('call-controls')!;
    await controls.updateComplete;
    controls.shadowRoot!.querySelector<HTMLButtonElement>('[part~="participants"]')!.click();
    await el.updateComplete;
    const panel = part(el, 'people')!;
    const list = panel.querySelector('participant-list')!;
    await list.updateComplete;
    expect(list.shadowRoot!.querySelector('h2')!.textContent).to.contain('People (3)');
    expect(controls.participantsOpen, 'the button follows').to.be.true;
    await expect(el).to.be.accessible();
    panel.querySelector('button')!.focus();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(part(el, 'people')).to.be.null;
  });

  it('switches to the speaker view from the controls’ menu', async () => {
    const { el } = await room({ participants: 3 });
    const controls = el.shadowRoot!.querySelector('call-controls')!;
    await controls.updateComplete;
    controls.shadowRoot!.querySelector<HTMLButtonElement>('[part~="more"]')!.click();
    const menu = controls.shadowRoot!.querySelector<HTMLElement>('[part~="menu"]')!;
    expect(menu.matches(':popover-open')).to.be.true;
    [...menu.querySelectorAll('button')].find((b) => b.textContent!.includes('Speaker view'))!.click();
    await el.updateComplete;
    expect(el.layout).to.equal('speaker');
    expect(part(el, 'stage')!.dataset.layout).to.equal('spotlight');
  });

  it('toggles the microphone and camera with Ctrl+D and Ctrl+E, lists the shortcuts on ?, and not while typing', async () => {
    const { el, session } = await room({ participants: 2 });
    await sendKeys({ press: 'Control+d' });
    expect(session.calls).to.include('setMicEnabled(false)');
    await sendKeys({ press: 'Control+e' });
    expect(session.calls).to.include('setCameraEnabled(false)');
    await sendKeys({ press: 'Shift+Slash' });
    await el.updateComplete;
    const help = part(el, 'help') as HTMLDialogElement;
    expect(help.open).to.be.true;
    expect(help.textContent).to.contain('Turn the microphone on or off');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    const input = await fixture<HTMLInputElement>(html`<input aria-label="chat" />`);
    input.focus();
    const before = session.calls.length;
    await sendKeys({ press: 'Control+d' });
    expect(session.calls.length, 'typing is not a shortcut').to.equal(before);
    input.blur();
    el.withoutShortcuts = true;
    await sendKeys({ press: 'Control+d' });
    expect(session.calls.length, 'without-shortcuts').to.equal(before);
  });

  it('keeps the stage and shows a banner while reconnecting', async () => {
    const { el, session } = await room({ participants: 2 });
    session.setState('reconnecting');
    await el.updateComplete;
    expect(part(el, 'banner')!.textContent).to.contain('Reconnecting');
    expect(tiles(el).length, 'tiles stay').to.equal(2);
    await expect(el).to.be.accessible();
  });

  it('fires state, roster and media events after the fact, with details', async () => {
    const { el, session } = await room({ participants: 2 });
    const state = oneEvent(el, 'call-state-change') as Promise<CallStateChangeEvent>;
    session.setState('reconnecting');
    const stateEvent = await state;
    expect(stateEvent.detail).to.deep.equal({ state: 'reconnecting', previous: 'joined' });
    expect(stateEvent.bubbles && stateEvent.composed).to.be.true;

    const joined = oneEvent(el, 'call-participant-joined') as Promise<CallParticipantJoinedEvent>;
    session.setParticipants([
      ...el.participants,
      session.makeParticipant({ id: 'p9', name: 'Niklaus Wirth' }),
    ]);
    expect((await joined).detail.participant.name).to.equal('Niklaus Wirth');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"][aria-live]')!.textContent, 'announced').to.contain(
      'Niklaus Wirth joined',
    );

    const media = oneEvent(el, 'call-media-change') as Promise<CallMediaChangeEvent>;
    session.updateParticipant('p1', { micOn: false });
    const mediaEvent = await media;
    expect([mediaEvent.detail.kind, mediaEvent.detail.enabled, mediaEvent.detail.reason]).to.deep.equal([
      'audio',
      false,
      'remote',
    ]);

    const left = oneEvent(el, 'call-participant-left');
    session.setParticipants(el.participants.filter((p) => p.id !== 'p9'));
    await left;
  });

  it('fires no roster events for the people already there on arrival', async () => {
    const fired: string[] = [];
    const session = new FakeCallSession({ participants: 3, withVideo: false });
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.addEventListener('call-participant-joined', () => fired.push('joined'));
    const el = document.createElement('call-room');
    el.session = session;
    holder.append(el);
    await el.updateComplete;
    expect(fired).to.deep.equal([]);
  });

  it('opens settings as a modal dialog: focus inside, Escape or a click outside closes it', async () => {
    const { el, session } = await room({ participants: 2 });
    const controls = el.shadowRoot!.querySelector('call-controls')!;
    await controls.updateComplete;
    const settingsButton = controls.shadowRoot!.querySelector<HTMLButtonElement>('[part~="settings"]')!;
    settingsButton.focus();
    settingsButton.click();
    await el.updateComplete;
    const dialog = part(el, 'settings') as HTMLDialogElement;
    expect(dialog.open, 'open').to.be.true;
    expect(dialog.matches(':modal'), 'modal').to.be.true;
    expect(el.shadowRoot!.activeElement && dialog.contains(el.shadowRoot!.activeElement), 'focus inside').to
      .be.true;
    const pickers = [...dialog.querySelectorAll('device-picker')];
    expect(pickers.map((p) => p.kind)).to.deep.equal(['microphone', 'camera', 'speaker']);
    expect(pickers[1].source, 'the session’s camera source').to.equal(session.deviceSource('camera'));
    expect(dialog.querySelector('[role="meter"]'), 'a microphone meter').to.exist;
    expect(dialog.querySelector('video-tile'), 'a camera preview').to.exist;
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    await controls.updateComplete;
    expect(dialog.open, 'Escape closes').to.be.false;
    expect(settingsButton.getAttribute('aria-expanded'), 'the button follows').to.equal('false');
    expect(controls.shadowRoot!.activeElement, 'focus back on Settings').to.equal(settingsButton);

    settingsButton.click();
    await el.updateComplete;
    expect(dialog.open).to.be.true;
    dialog.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(dialog.open, 'a click outside closes').to.be.false;
  });

  it('lets the page replace the controls and add content', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false });
    const el = await fixture<CallRoom>(
      html`<call-room .session=${session}
        ><button slot="controls">Mine</button>
        <p>Chat</p></call-room
      >`,
    );
    const controlsSlot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="controls"]')!;
    expect(controlsSlot.assignedElements().map((e) => e.textContent)).to.deep.equal(['Mine']);
    const main = el.shadowRoot!.querySelector<HTMLSlotElement>('slot:not([name])')!;
    expect(main.assignedElements().map((e) => e.textContent)).to.deep.equal(['Chat']);
  });

  it('provides its session to elements placed inside it', async () => {
    const session = new FakeCallSession({ participants: 2, withVideo: false });
    const el = await fixture<CallRoom>(
      html`<call-room .session=${session}><call-controls slot="controls"></call-controls></call-room>`,
    );
    const controls = el.querySelector('call-controls')!;
    await controls.updateComplete;
    controls.shadowRoot!.querySelector<HTMLButtonElement>('[part~="mic"]')!.click();
    expect(session.calls, 'the slotted controls reached the room session').to.include('setMicEnabled(false)');
  });

  it('ends every subscription once removed, and never leaves a session it did not create', async () => {
    const { el, session } = await room({ participants: 3 });
    el.remove();
    await waitUntil(() => session.activeSubscriptions === 0, 'subscriptions left behind', { timeout: 3000 });
    await new Promise((r) => setTimeout(r, 1100)); // past the grace period for DOM moves
    expect(session.calls, 'a page-owned session stays the page’s to end').to.not.include('leave()');
  });
});
