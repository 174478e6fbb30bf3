import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import {
  CALL_SHORTCUTS,
  ShortcutsController,
  currentPlatform,
  platformOf,
  type ShortcutPlatform,
} from '../../../src/controllers/shortcuts-controller.js';

/** A host that records what its shortcuts did. */
class ShortcutsHost extends LitElement {
  static override properties = { enabled: { type: Boolean } };
  declare enabled: boolean;
  readonly fired: string[] = [];
  shortcuts!: ShortcutsController;

  constructor() {
    super();
    this.enabled = true;
  }

  /** Creates the controller once the test has chosen a platform. */
  start(platform?: ShortcutPlatform): this {
    this.shortcuts = new ShortcutsController(this, {
      enabled: () => this.enabled,
      platform,
      actions: {
        toggleMic: () => this.fired.push('toggleMic'),
        toggleCamera: () => this.fired.push('toggleCamera'),
        toggleHand: () => this.fired.push('toggleHand'),
        showHelp: () => this.fired.push('showHelp'),
      },
    });
    return this;
  }

  override render() {
    return html`<input aria-label="Inner field" /><slot></slot>`;
  }
}
customElements.define('shortcuts-host', ShortcutsHost);

/** A connected host with a controller for `platform`. */
async function setup(platform: ShortcutPlatform = 'other') {
  const el = document.createElement('shortcuts-host') as ShortcutsHost;
  el.start(platform);
  const holder = await fixture<HTMLDivElement>(html`<div></div>`);
  holder.append(el);
  await el.updateComplete;
  return el;
}

/** Dispatches a keydown on `target` as a browser would and returns the event. */
function press(target: EventTarget, init: KeyboardEventInit): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('ShortcutsController', () => {
  it('raises or lowers the hand with Ctrl+Alt+H (⌘+⌥+H on macOS), not with Ctrl+H', async () => {
    const el = await setup();
    press(document.body, { key: 'h', code: 'KeyH', ctrlKey: true });
    expect(el.fired, 'Ctrl+H alone').to.deep.equal([]);
    const event = press(document.body, { key: 'h', code: 'KeyH', ctrlKey: true, altKey: true });
    expect(el.fired).to.deep.equal(['toggleHand']);
    expect(event.defaultPrevented, 'handled').to.be.true;
    const mac = await setup('mac');
    press(document.body, { key: '˙', code: 'KeyH', metaKey: true, altKey: true });
    expect(mac.fired, 'the Option layer types ˙; the physical key counts').to.deep.equal(['toggleHand']);
  });

  it('lists every shortcut once, with keys for both platforms', () => {
    expect(CALL_SHORTCUTS.map((s) => s.id)).to.deep.equal([
      'toggleMic',
      'toggleCamera',
      'toggleHand',
      'showHelp',
    ]);
    expect(CALL_SHORTCUTS.map((s) => s.keys.other.join('+'))).to.deep.equal([
      'Ctrl+D',
      'Ctrl+E',
      'Ctrl+Alt+H',
      '?',
    ]);
    expect(CALL_SHORTCUTS.map((s) => s.keys.mac.join('+'))).to.deep.equal(['⌘+D', '⌘+E', '⌘+⌥+H', '?']);
    for (const s of CALL_SHORTCUTS) expect(s.description, `${s.id} described`).to.match(/^[A-Z].+[a-z]$/);
  });

  it('detects macOS from userAgentData or navigator.platform', () => {
    expect(platformOf({ userAgentData: { platform: 'macOS' } }), 'userAgentData').to.equal('mac');
    expect(platformOf({ platform: 'MacIntel' }), 'navigator.platform').to.equal('mac');
    expect(platformOf({ platform: 'iPad' }), 'iPadOS').to.equal('mac');
    expect(platformOf({ userAgentData: { platform: 'Windows' }, platform: 'Win32' })).to.equal('other');
    expect(platformOf({ platform: 'Linux x86_64' })).to.equal('other');
    expect(platformOf(undefined), 'no navigator').to.equal('other');
    expect(currentPlatform(), 'this Linux test browser').to.equal('other');
  });

  it('toggles the microphone and camera with Ctrl+D and Ctrl+E, and shows help with ?', async () => {
    const el = await setup();
    expect(el.shortcuts.platform).to.equal('other');
    await sendKeys({ press: 'Control+d' });
    await sendKeys({ press: 'Control+e' });
    await sendKeys({ press: 'Shift+Slash' });
    expect(el.fired).to.deep.equal(['toggleMic', 'toggleCamera', 'showHelp']);
  });

  it('uses ⌘ instead of Ctrl on macOS', async () => {
    const el = await setup('mac');
    press(document.body, { key: 'd', code: 'KeyD', ctrlKey: true });
    expect(el.fired, 'Ctrl+D does nothing on macOS').to.deep.equal([]);
    press(document.body, { key: 'd', code: 'KeyD', metaKey: true });
    press(document.body, { key: 'e', code: 'KeyE', metaKey: true });
    press(document.body, { key: '?', code: 'Slash', shiftKey: true });
    expect(el.fired).to.deep.equal(['toggleMic', 'toggleCamera', 'showHelp']);
  });

  it('ignores other modifier combinations', async () => {
    const el = await setup();
    for (const init of [
      { key: 'd', metaKey: true },
      { key: 'd', ctrlKey: true, shiftKey: true },
      { key: 'd', ctrlKey: true, altKey: true },
      { key: 'd', ctrlKey: true, metaKey: true },
      { key: 'd' },
      { key: '?', ctrlKey: true },
      { key: '?', metaKey: true },
      { key: 'k', ctrlKey: true },
    ])
      expect(press(document.body, init).defaultPrevented, JSON.stringify(init)).to.be.false;
    expect(el.fired).to.deep.equal([]);
  });

  it('accepts a ? typed with AltGr, which arrives as Ctrl+Alt', async () => {
    const el = await setup();
    expect(press(document.body, { key: '?', ctrlKey: true, altKey: true }).defaultPrevented, 'Ctrl+Alt+?').to
      .be.false;
    press(document.body, { key: '?', ctrlKey: true, altKey: true, modifierAltGraph: true });
    expect(el.fired).to.deep.equal(['showHelp']);
  });

  it('finds the key by its physical position on non-Latin layouts', async () => {
    const el = await setup();
    press(document.body, { key: 'в', code: 'KeyD', ctrlKey: true });
    press(document.body, { key: 'D', code: 'KeyD', ctrlKey: true });
    expect(el.fired, 'Cyrillic в and Caps Lock D').to.deep.equal(['toggleMic', 'toggleMic']);
  });

  it('does nothing while enabled() is false', async () => {
    const el = await setup();
    el.enabled = false;
    const events = [
      press(document.body, { key: 'd', ctrlKey: true }),
      press(document.body, { key: 'e', ctrlKey: true }),
      press(document.body, { key: '?', shiftKey: true }),
    ];
    expect(el.fired).to.deep.equal([]);
    expect(
      events.map((e) => e.defaultPrevented),
      'nothing prevented',
    ).to.deep.equal([false, false, false]);
    el.enabled = true;
    press(document.body, { key: 'd', ctrlKey: true });
    expect(el.fired, 'works again').to.deep.equal(['toggleMic']);
  });

  it('leaves typing alone: inputs, textareas, selects and contenteditable', async () => {
    const el = await setup();
    const page = await fixture<HTMLDivElement>(
      html`<div>
        <input aria-label="Name" />
        <textarea aria-label="Message"></textarea>
        <select aria-label="Choice">
          <option>One</option>
        </select>
        <div contenteditable="true" aria-label="Notes"><b>Rich</b> text</div>
      </div>`,
    );
    for (const target of [
      page.querySelector('input')!,
      page.querySelector('textarea')!,
      page.querySelector('select')!,
      page.querySelector('b')!,
    ]) {
      const d = press(target, { key: 'd', ctrlKey: true });
      const help = press(target, { key: '?', shiftKey: true });
      expect(d.defaultPrevented || help.defaultPrevented, `${target.localName} not prevented`).to.be.false;
    }
    page.querySelector('input')!.focus();
    await sendKeys({ type: '?' });
    expect(page.querySelector('input')!.value, 'the ? was typed').to.equal('?');
    expect(el.fired).to.deep.equal([]);
  });

  it('leaves typing alone in a field inside a shadow root', async () => {
    const el = await setup();
    const inner = el.shadowRoot!.querySelector('input')!;
    inner.focus();
    await sendKeys({ press: 'Control+d' });
    await sendKeys({ type: '?' });
    expect(inner.value, 'the ? was typed').to.equal('?');
    expect(press(inner, { key: 'e', ctrlKey: true }).defaultPrevented, 'not prevented').to.be.false;
    expect(el.fired).to.deep.equal([]);
    inner.blur();
    await sendKeys({ press: 'Control+d' });
    expect(el.fired, 'outside the field it works').to.deep.equal(['toggleMic']);
  });

  it('ignores held-down repeats, IME composition and keys already handled', async () => {
    const el = await setup();
    expect(press(document.body, { key: 'd', ctrlKey: true, repeat: true }).defaultPrevented).to.be.false;
    expect(press(document.body, { key: '?', isComposing: true }).defaultPrevented).to.be.false;
    const handled = new KeyboardEvent('keydown', {
      key: 'e',
      ctrlKey: true,
      bubbles: true,
      cancelable: true,
    });
    handled.preventDefault();
    document.body.dispatchEvent(handled);
    expect(el.fired).to.deep.equal([]);
  });

  it('prevents the default only of keys it handled', async () => {
    const el = await setup();
    expect(press(document.body, { key: 'd', ctrlKey: true }).defaultPrevented, 'Ctrl+D').to.be.true;
    expect(press(document.body, { key: 'e', ctrlKey: true }).defaultPrevented, 'Ctrl+E').to.be.true;
    expect(press(document.body, { key: '?', shiftKey: true }).defaultPrevented, '?').to.be.true;
    expect(press(document.body, { key: 'f', ctrlKey: true }).defaultPrevented, 'Ctrl+F').to.be.false;
    expect(press(document.body, { key: 'a' }).defaultPrevented, 'a').to.be.false;
    expect(el.fired).to.deep.equal(['toggleMic', 'toggleCamera', 'showHelp']);
  });

  it('lets only one of two hosts handle a key', async () => {
    const first = await setup();
    const second = await setup();
    press(document.body, { key: 'd', ctrlKey: true });
    expect([...first.fired, ...second.fired]).to.deep.equal(['toggleMic']);
  });

  it('stops listening when the host disconnects, and listens again when it reconnects', async () => {
    const el = await setup();
    const holder = el.parentElement!;
    el.remove();
    const event = press(document.body, { key: 'd', ctrlKey: true });
    expect(el.fired, 'nothing while disconnected').to.deep.equal([]);
    expect(event.defaultPrevented, 'not prevented').to.be.false;
    holder.append(el);
    press(document.body, { key: 'd', ctrlKey: true });
    holder.append(el); // a move: disconnect and connect again
    press(document.body, { key: 'e', ctrlKey: true });
    expect(el.fired, 'one listener after moves').to.deep.equal(['toggleMic', 'toggleCamera']);
  });
});
