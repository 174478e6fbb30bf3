import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define/device-picker.js';
import { DevicePicker } from '../../../../src/components/device-picker/device-picker.js';
import { styles } from '../../../../src/components/device-picker/device-picker.styles.js';
import { expectTokenContract } from '../../../support/token-contract.js';
import { FakeDeviceSource } from '../../../../src/testing/fake-device-source.js';
import type { CallErrorEvent } from '../../../../src/events/call-error.js';
import type { DeviceChangeEvent } from '../../../../src/events/device-change.js';

const part = (el: DevicePicker, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const select = (el: DevicePicker) => part(el, 'select') as HTMLSelectElement;
const optionLabels = (el: DevicePicker) => [...select(el).options].map((o) => o.textContent!.trim());

async function ready(el: DevicePicker, status = 'ready'): Promise<DevicePicker> {
  await waitUntil(() => el.status === status, `status never became ${status} (is ${el.status})`, {
    timeout: 5000,
  });
  await el.updateComplete;
  return el;
}

// Real permission prompts and denials: test/e2e/device-picker-permission.test.ts (needs a browser without the
// fake-UI flag, which accepts every prompt).
describe('<device-picker> with Chromium fake devices', () => {
  beforeEach(() => localStorage.clear());

  it('lists the fake camera and is accessible', async () => {
    const el = await ready(await fixture<DevicePicker>(html`<device-picker></device-picker>`));
    expect(el.kind, 'default kind').to.equal('camera');
    const cameras = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    expect(cameras.length, 'the browser has one fake camera').to.equal(1);
    expect(optionLabels(el), 'camera options').to.deep.equal([cameras[0].label]);
    expect(el.value, 'value is the active camera').to.equal(select(el).value);
    expect(el.matches(':state(ready)'), 'ready state').to.be.true;
    expect(part(el, 'label')!.textContent!.trim(), 'visible label').to.equal('Camera');
    await expect(el).to.be.accessible();
  });

  it('reflects kind and renders every part it documents', async () => {
    const el = await ready(await fixture<DevicePicker>(html`<device-picker></device-picker>`));
    el.kind = 'microphone';
    await el.updateComplete;
    expect(el.getAttribute('kind'), 'kind reflects').to.equal('microphone');
    await ready(el);
    for (const name of ['base', 'label', 'select']) expect(part(el, name), `part ${name}`).to.exist;
    expect(optionLabels(el), 'microphones').to.include('Fake Audio Input 1');
  });

  it('fires a composed change event with the device when the user picks one', async () => {
    const el = await ready(
      await fixture<DevicePicker>(html`<device-picker kind="microphone"></device-picker>`),
    );
    const target = [...select(el).options].find((o) => o.textContent!.includes('Fake Audio Input 2'))!;
    const changed = oneEvent(el, 'change') as Promise<DeviceChangeEvent>;
    select(el).value = target.value;
    select(el).dispatchEvent(new Event('change'));
    const event = await changed;
    expect(event.bubbles && event.composed, 'bubbles and composed').to.be.true;
    expect(event.detail.device.label, 'detail.device').to.equal('Fake Audio Input 2');
    expect(event.detail.kind, 'detail.kind').to.equal('microphone');
    expect(el.value, 'value follows the choice').to.equal(target.value);
    expect(localStorage.getItem('partytracks-audioinput-preferred-device'), 'choice remembered').to.contain(
      'Fake Audio Input 2',
    );
  });

  it('moves through devices with the keyboard', async () => {
    const el = await ready(await fixture<DevicePicker>(html`<device-picker kind="speaker"></device-picker>`));
    const before = el.value;
    el.focus();
    expect(el.shadowRoot!.activeElement, 'focus is delegated to the select').to.equal(select(el));
    const changed = oneEvent(el, 'change') as Promise<DeviceChangeEvent>;
    await sendKeys({ press: 'ArrowDown' });
    const event = await changed;
    expect(event.detail.device.deviceId, 'the next speaker').to.not.equal(before);
    expect(el.value).to.equal(event.detail.device.deviceId);
  });

  it('stays silent when the page sets value from script, but still switches device', async () => {
    const el = await ready(
      await fixture<DevicePicker>(html`<device-picker kind="microphone"></device-picker>`),
    );
    let fired = 0;
    el.addEventListener('change', () => fired++);
    const other = [...select(el).options].find((o) => o.textContent!.includes('Fake Audio Input 1'))!.value;
    el.value = other;
    await el.updateComplete;
    await waitUntil(() => el.selectedDevice?.label === 'Fake Audio Input 1', 'selectedDevice follows value');
    expect(fired, 'change events after a programmatic set').to.equal(0);
    expect(localStorage.getItem('partytracks-audioinput-preferred-device')).to.contain('Fake Audio Input 1');
  });
});

describe('<device-picker> states from a source', () => {
  it('reads tokens with literal fallbacks and declares no public ones', () => {
    expectTokenContract(DevicePicker.styles, styles);
  });

  for (const status of ['no-device', 'device-in-use', 'unsupported'] as const) {
    it(`shows ${status}, fires call-error once, and is accessible`, async () => {
      const source = new FakeDeviceSource('speaker', status);
      const codes: string[] = [];
      const holder = await fixture<HTMLDivElement>(
        html`<div @call-error=${(e: CallErrorEvent) => codes.push(e.detail.code)}></div>`,
      );
      const el = document.createElement('device-picker');
      el.kind = 'speaker';
      el.source = source;
      holder.append(el);
      await ready(el, status);
      expect(el.matches(`:state(${status})`), 'custom state').to.be.true;
      expect(part(el, 'message'), 'message part').to.exist;
      expect(Boolean(part(el, 'button')), 'a retry only where retrying can help').to.equal(
        status !== 'unsupported',
      );
      expect(codes, 'call-error codes').to.deep.equal([status]);
      await expect(el).to.be.accessible();
    });
  }

  it('recovers when retrying succeeds', async () => {
    const source = new FakeDeviceSource('camera', 'no-device');
    const el = await fixture<DevicePicker>(html`<device-picker .source=${source}></device-picker>`);
    await ready(el, 'no-device');
    part(el, 'button')!.click();
    await ready(el);
    expect(source.accessRequests, 'asked once').to.equal(1);
    expect(optionLabels(el)).to.deep.equal(['Fake Camera 1', 'Fake Camera 2']);
    expect(el.matches(':state(no-device)'), 'old state cleared').to.be.false;
  });

  it('uses the label attribute, the label slot and translations', async () => {
    const source = new FakeDeviceSource('camera');
    const el = await fixture<DevicePicker>(
      html`<device-picker label="Video" .source=${source}></device-picker>`,
    );
    expect(part(el, 'label')!.textContent!.trim()).to.equal('Video');
    const de = await fixture<HTMLElement>(
      html`<div lang="de">
        <device-picker .source=${source} .strings=${{ camera: 'Kamera' }}></device-picker>
      </div>`,
    );
    const inner = de.querySelector('device-picker')!;
    await inner.updateComplete;
    expect(part(inner, 'label')!.textContent!.trim()).to.equal('Kamera');
  });

  it('ends every subscription on disconnect', async () => {
    const source = new FakeDeviceSource('microphone');
    const el = await fixture<DevicePicker>(html`<device-picker .source=${source}></device-picker>`);
    expect(source.activeSubscriptions, 'subscribed while connected').to.equal(1);
    el.remove();
    expect(source.activeSubscriptions, 'subscriptions after remove').to.equal(0);
    document.body.append(el);
    await el.updateComplete;
    expect(source.activeSubscriptions, 'resubscribes when reconnected').to.equal(1);
    el.remove();
  });
});
