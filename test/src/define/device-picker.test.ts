import { expect } from '@open-wc/testing';

describe('define/device-picker', () => {
  it('touches no media API at import time', async () => {
    const calls: string[] = [];
    const media = navigator.mediaDevices;
    const spy = <K extends 'getUserMedia' | 'enumerateDevices'>(name: K) => {
      const original = media[name].bind(media);
      (media as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        calls.push(name);
        return (original as (...a: unknown[]) => unknown)(...args);
      };
      return () => ((media as unknown as Record<string, unknown>)[name] = original);
    };
    const restore = [spy('getUserMedia'), spy('enumerateDevices')];
    try {
      await import('../../../src/define/device-picker.js');
      expect(customElements.get('device-picker'), 'registered').to.exist;
      expect(calls, 'media calls during import').to.deep.equal([]);
      document.body.append(document.createElement('device-picker'));
      await new Promise((r) => setTimeout(r, 50));
      expect(calls, 'devices are listed once connected').to.include('enumerateDevices');
      expect(calls, 'no capture just to list devices').to.not.include('getUserMedia');
    } finally {
      restore.forEach((r) => r());
      document.querySelector('device-picker')?.remove();
    }
  });

  it('is safe to register twice, and names a foreign owner of the tag', async () => {
    const { DevicePicker } = await import('../../../src/components/device-picker/device-picker.js');
    expect(() => DevicePicker.define('device-picker'), 'second define by the same class').to.not.throw();
    customElements.define('taken-picker', class extends HTMLElement {});
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      expect(() => DevicePicker.define('taken-picker')).to.not.throw();
    } finally {
      console.error = original;
    }
    expect(String(errors[0]), 'one clear error naming the tag').to.contain('<taken-picker>');
  });
});
