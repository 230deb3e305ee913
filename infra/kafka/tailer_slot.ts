import { PartitionTailer, type PartitionTailerOptions } from "./partition_tailer.ts";

/**
 * One live tailer that outlives its rebuilds: its owner says which partitions to read, a
 * supervisor calls {@linkcode TailerSlot.open} for each build, and each new tailer starts with the
 * partitions wanted now and goes on from where the failed one stopped, so nothing published while
 * it was being rebuilt (a status, a notification) is skipped.
 */
export class TailerSlot {
  #options: Omit<PartitionTailerOptions, "onFailure">;
  #wanted: number[] = [];
  #resume: ReadonlyMap<number, bigint> = new Map();
  #current: PartitionTailer | undefined;
  /** With `byKey`: the keys whose records are handed on (the others are skipped undecoded). */
  #keys: Set<string> | undefined;

  /**
   * Every build uses these options. With `byKey`, only records whose key was given to
   * {@linkcode keepKey} are handed on (instead of `options.keep`).
   */
  constructor(options: Omit<PartitionTailerOptions, "onFailure">, { byKey = false } = {}) {
    const keys = byKey ? new Set<string>() : undefined;
    this.#keys = keys;
    this.#options = keys ? { ...options, keep: (key) => keys.has(key) } : options;
  }

  /** With `byKey`: hands on the records of `key` from now on (`true`), or no longer (`false`). */
  keepKey(key: string, keep: boolean): void {
    if (keep) this.#keys?.add(key);
    else this.#keys?.delete(key);
  }

  /** Replaces the partitions to read, now and in every later build. */
  want(partitions: Iterable<number>): void {
    this.#wanted = [...partitions];
    this.#current?.want(this.#wanted);
  }

  /** Builds and starts a tailer; `failed` is told when it gives up. Fits `OpenStream`. */
  open = async (failed: (error: unknown) => void): Promise<{ close(): Promise<void> }> => {
    const tailer = await PartitionTailer.start(
      { ...this.#options, onFailure: failed },
      this.#wanted,
      this.#resume,
    );
    this.#current = tailer;
    return {
      close: async () => {
        if (this.#current === tailer) this.#current = undefined;
        await tailer.close();
        this.#resume = tailer.offsets;
      },
    };
  };
}
