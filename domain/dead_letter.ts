/** A record that could not be stored, kept with where it came from and why. */
export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** The record as text (JSON for a decoded record, the raw value otherwise). */
  readonly payload: string;
  /** Why it was refused. */
  readonly error: string;
}
