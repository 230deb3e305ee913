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

  /** Every build uses these options. */
  constructor(options: Omit<PartitionTailerOptions, "onFailure">) {
    this.#options = options;
  }

  /** Replaces the partitions to read, now and in every later build. */
  want(partitions: Iterable<number>): void {
    this.#wanted = [...partitions];
    this.#current?.want(this.#wanted);
  }

  /**
   * Whether a tailer is running and has its place in every partition wanted (see
   * {@linkcode PartitionTailer.positioned}); false while it is being rebuilt.
   */
  get positioned(): boolean {
    return this.#current?.positioned ?? false;
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
