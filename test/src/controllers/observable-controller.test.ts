import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { BehaviorSubject } from 'rxjs';
import { ObservableController } from '../../../src/controllers/observable-controller.js';

const source = new BehaviorSubject(0);

class CountingHost extends LitElement {
  renders = 0;
  readonly seen: number[] = [];
  readonly value = new ObservableController<number>(
    this,
    () => source,
    (value) => this.seen.push(value),
    (value) => value % 2 === 0, // odd values are "shown" by the host itself
  );
  protected override render() {
    this.renders++;
    return html`${this.value.value}`;
  }
}
customElements.define('observable-controller-host', CountingHost);

describe('ObservableController', () => {
  it('re-renders for a value unless rerender says the host showed it itself', async () => {
    const el = await fixture<CountingHost>(html`<observable-controller-host></observable-controller-host>`);
    const renders = el.renders;
    source.next(1);
    expect(el.isUpdatePending, 'odd: no render').to.be.false;
    expect(el.value.value, 'the value is kept').to.equal(1);
    source.next(2);
    expect(el.isUpdatePending, 'even: a render').to.be.true;
    await el.updateComplete;
    expect(el.renders).to.equal(renders + 1);
    expect(el.seen, 'onValue sees every value').to.deep.equal([0, 1, 2]);
  });
});
