// Counts what each client address holds (e.g. presence sockets that have not joined yet), so one address
// can't take all of them. Node-side: the key is the socket's remote address.

export class AddressSlots {
  readonly #held = new Map<string, number>();

  constructor(readonly maxPerAddress: number) {}

  /** Takes a slot for `address`; returns a release function, or undefined when the address is at its cap. */
  take(address: string): (() => void) | undefined {
    const held = this.#held.get(address) ?? 0;
    if (held >= this.maxPerAddress) return undefined;
    this.#held.set(address, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#held.get(address) ?? 1) - 1;
      if (left > 0) this.#held.set(address, left);
      else this.#held.delete(address);
    };
  }

  /** Slots held by `address` right now. */
  heldBy(address: string): number {
    return this.#held.get(address) ?? 0;
  }
}
