import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { BaseElement } from '../../internal/base-element.js';
import { ObservableController } from '../../controllers/observable-controller.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import {
  createDeviceSource,
  type DeviceKind,
  type DeviceSnapshot,
  type DeviceSource,
  type DeviceStatus,
} from '../../core/media-devices.js';
import { CallErrorEvent, type CallErrorCode } from '../../events/call-error.js';
import { DeviceChangeEvent } from '../../events/device-change.js';
import type { Translation } from '../../translations/en.js';
import { tokenStyles } from '../../styles/tokens.js';
import { styles } from './device-picker.styles.js';

const STATES: readonly DeviceStatus[] = [
  'ready',
  'needs-permission',
  'permission-denied',
  'no-device',
  'device-in-use',
  'unsupported',
];

const MESSAGE_KEY: Record<Exclude<DeviceStatus, 'ready'>, keyof Translation> = {
  'needs-permission': 'needsPermission',
  'permission-denied': 'permissionDenied',
  'no-device': 'noDevice',
  'device-in-use': 'deviceInUse',
  unsupported: 'unsupported',
};

/**
 * Lets the user choose a camera, microphone or speaker, with a native `<select>` and a visible label. The choice
 * is remembered across visits and, inside a call, switches the live track. When devices can't be listed it says
 * why and offers the way out (allow access, try again).
 *
 * @summary Chooses the camera, microphone or speaker.
 * @status experimental
 * @since 0.1.0
 *
 * @slot label - Replaces the visible label text.
 *
 * @fires change - The user picked a device; `detail.device` is its `MediaDeviceInfo`. Not fired when `value` is set from script.
 * @fires call-error - Devices can't be used: `detail.code` is `permission-denied`, `no-device`, `device-in-use` or `unsupported`.
 *
 * @csspart base - The wrapper around label, select and message.
 * @csspart label - The visible label.
 * @csspart select - The native select.
 * @csspart message - Why no device can be chosen, and what to do.
 * @csspart button - "Allow access" or "Try again".
 *
 * @cssprop --call-device-picker-background - Select background. Default: var(--call-color-surface, #ffffff).
 * @cssprop --call-device-picker-border-color - Select border. Default: var(--call-color-border, #c4c7c5).
 * @cssprop --call-device-picker-radius - Corner radius of select and button. Default: var(--call-radius-m, 8px).
 *
 * @cssstate ready - Devices are listed and one can be chosen.
 * @cssstate needs-permission - The browser hides devices until the page is allowed access.
 * @cssstate permission-denied - Access was blocked.
 * @cssstate no-device - No device of this kind is connected.
 * @cssstate device-in-use - Another application holds the device.
 * @cssstate unsupported - The browser cannot choose devices of this kind (speakers without `setSinkId`).
 */
export class DevicePicker extends BaseElement {
  static override styles = [BaseElement.styles, tokenStyles, styles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  // PUBLIC API
  /** Which devices to list: `camera`, `microphone` or `speaker`. */
  @property({ reflect: true }) kind: DeviceKind = 'camera';

  /** Visible label; defaults to the translated name of the kind. */
  @property() label = '';

  /** The chosen device's `deviceId`. Setting it from script switches device without firing `change`. */
  @property() value = '';

  /** Where devices come from; by default the browser's, through partytracks. Set it to share or fake a source. */
  @property({ attribute: false }) source?: DeviceSource;

  /** Overrides single strings of the current language. */
  @property({ attribute: false }) strings?: Partial<Translation>;

  /** Why no device can be chosen, or `ready`. */
  get status(): DeviceStatus | undefined {
    return this.#snapshot.value?.status;
  }

  /** The `MediaDeviceInfo` of the chosen device. */
  get selectedDevice(): MediaDeviceInfo | undefined {
    return this.#snapshot.value?.devices.find((d) => d.deviceId === this.value);
  }

  // INTERNAL STATE
  #ownSource?: DeviceSource;
  readonly #snapshot = new ObservableController<DeviceSnapshot>(
    this,
    () => this.#currentSource()?.snapshot$,
    (snapshot) => this.#handleSnapshot(snapshot),
  );
  readonly #t = new LocalizeController(this, () => this.strings);
  #reportedStatus?: DeviceStatus;

  #currentSource(): DeviceSource | undefined {
    if (this.source) return this.source;
    if (!this.isConnected) return undefined;
    // Created on connect, never at import: listing devices is the first media API this element touches.
    if (this.#ownSource?.kind !== this.kind) this.#ownSource = createDeviceSource(this.kind);
    return this.#ownSource;
  }

  // LIFECYCLE
  protected override updated(changed: Map<PropertyKey, unknown>): void {
    const snapshot = this.#snapshot.value;
    if (changed.has('value') && snapshot?.status === 'ready' && snapshot.active?.deviceId !== this.value) {
      const device = snapshot.devices.find((d) => d.deviceId === this.value);
      if (device) this.#currentSource()?.select(device);
    }
  }

  // HANDLERS
  #handleSnapshot(snapshot: DeviceSnapshot): void {
    for (const state of STATES) this.setCustomState(state, state === snapshot.status);
    if (snapshot.active) this.value = snapshot.active.deviceId;
    if (snapshot.status === this.#reportedStatus) return;
    this.#reportedStatus = snapshot.status;
    if (snapshot.status === 'ready' || snapshot.status === 'needs-permission') return;
    this.dispatchEvent(
      new CallErrorEvent({
        code: snapshot.status satisfies CallErrorCode,
        message: this.#t.term(MESSAGE_KEY[snapshot.status]),
        recoverable: snapshot.status !== 'unsupported',
        cause: snapshot.status,
      }),
    );
  }

  async #handleSelectChange(event: Event): Promise<void> {
    const deviceId = (event.target as HTMLSelectElement).value;
    const device = this.#snapshot.value?.devices.find((d) => d.deviceId === deviceId);
    if (!device) return;
    this.value = deviceId;
    this.#currentSource()?.select(device);
    await this.updateComplete;
    this.dispatchEvent(new DeviceChangeEvent({ kind: this.kind, device }));
  }

  async #handleRequestAccess(): Promise<void> {
    // A repeated failure after the user asked again is news to them: report it again.
    this.#reportedStatus = undefined;
    await this.#currentSource()?.requestAccess();
  }

  // RENDERING
  protected override render() {
    const snapshot = this.#snapshot.value;
    const status = snapshot?.status;
    const devices = snapshot?.devices ?? [];
    const ready = status === 'ready';
    const label = this.label || this.#t.term(this.kind);
    return html`
      <div part="base">
        <label part="label" for="select"><slot name="label">${label}</slot></label>
        <select
          id="select"
          part="select"
          aria-disabled=${ready ? 'false' : 'true'}
          aria-describedby=${ready ? nothing : 'message'}
          @change=${this.#handleSelectChange}
        >
          ${
            ready
              ? devices.map(
                  (device, i) =>
                    html`<option value=${device.deviceId} ?selected=${device.deviceId === this.value}>
                      ${device.label || this.#t.term('unnamedDevice', i + 1)}
                    </option>`,
                )
              : html`<option value="">—</option>`
          }
        </select>
        ${status && !ready ? this.#renderProblem(status) : nothing}
      </div>
    `;
  }

  #renderProblem(status: Exclude<DeviceStatus, 'ready'>) {
    const action =
      status === 'needs-permission' ? 'allowAccess' : status === 'unsupported' ? undefined : 'tryAgain';
    return html`
      <p part="message" id="message" role="status">${this.#t.term(MESSAGE_KEY[status])}</p>
      ${
        action
          ? html`<button part="button" type="button" @click=${this.#handleRequestAccess}>
              ${this.#t.term(action)}
            </button>`
          : nothing
      }
    `;
  }
}
