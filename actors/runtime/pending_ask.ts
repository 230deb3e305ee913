/** The sender's side of an `ask`, travelling with its message. Internal. */
export class PendingAsk<R> {
  /** Settles with the reply or the failure. */
  readonly promise: Promise<R>;
  #resolve: (value: R) => void;
  #reject: (error: unknown) => void;
  #settled = false;
  #cleanups: (() => void)[] = [];

  /** Creates an unsettled ask. */
  constructor() {
    const { promise, resolve, reject } = Promise.withResolvers<R>();
    this.promise = promise;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Whether a reply or a failure already arrived. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Delivers the reply; later calls are ignored. */
  resolve(value: R): void {
    if (this.#finish()) this.#resolve(value);
  }

  /** Fails the ask; ignored once settled. */
  reject(error: unknown): void {
    if (this.#finish()) this.#reject(error);
  }

  /** Runs `fn` when the ask settles (at once if it has). */
  onSettle(fn: () => void): void {
    if (this.#settled) fn();
    else this.#cleanups.push(fn);
  }

  #finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    for (const fn of this.#cleanups.splice(0)) fn();
    return true;
  }
}
