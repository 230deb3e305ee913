/**
 * A store refused rows for what they hold (a value out of a column's range, a byte the column
 * cannot hold), not because it is unreachable: sending the same rows again cannot succeed.
 * Callers set such rows aside (dead letters) instead of retrying them.
 */
export class RowRejectedError extends Error {
  /** Wraps the store's own error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RowRejectedError";
  }
}
