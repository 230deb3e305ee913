import type { Buffer } from "node:buffer";
import type { ResilientProducerOptions, StringMessage } from "./resilient_producer.ts";
import type { FromProducerThread, ToProducerThread } from "./producer_thread_protocol.ts";

/** Sends batches of records to Kafka: a {@linkcode ResilientProducer} or a {@linkcode ThreadedProducer}. */
export interface RecordSender {
  /** Resolves once Kafka has every record of the batch; rejects as `ResilientProducer.send` does. */
  send(messages: StringMessage[]): Promise<void>;
  /** Stops retrying and disconnects. */
  close(): Promise<void>;
}

interface _Waiting {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A {@linkcode ResilientProducer} in a thread of its own (`producer_thread.ts`, a Deno worker):
 * the Kafka client's encoding of each record, its garbage and its network reads leave the
 * service's JavaScript thread, which keeps reading frames and writing acks meanwhile
 * (docs/performance.md, "The service's own stalls, and the location producer in a thread of its
 * own"; off by default, `KAFKA_PRODUCER_THREAD`). The service's thread
 * posts each batch as one topic, one header set and three arrays (keys, values, partitions).
 * Health changes come back and go to `options.health` as the producer would report them. If the
 * thread dies, its batches fail and the next send starts a new one.
 */
export class ThreadedProducer implements RecordSender {
  #options: ResilientProducerOptions;
  #worker: Worker | undefined;
  #waiting = new Map<number, _Waiting>();
  #nextId = 0;
  #closed: (() => void) | undefined;
  /** The close under way or done: a second call waits for the first instead of hanging. */
  #closing: Promise<void> | undefined;

  /** Starts the thread at once, so its start-up is part of the service's, not the first send's. */
  constructor(options: ResilientProducerOptions) {
    this.#options = options;
    this.#worker = this.#start();
  }

  send(messages: StringMessage[]): Promise<void> {
    const first = messages[0];
    if (!first) return Promise.resolve();
    const headers = first.headers;
    if (headers !== undefined && !(headers instanceof Map)) {
      throw new TypeError("ThreadedProducer takes headers as a Map of bytes");
    }
    const keys: string[] = [], values: string[] = [];
    const partitions = new Int32Array(messages.length);
    for (const [i, m] of messages.entries()) {
      if (m.topic !== first.topic || m.headers !== headers) {
        throw new TypeError("ThreadedProducer sends one topic and one header set per batch");
      }
      keys.push(m.key ?? "");
      values.push(m.value ?? "");
      partitions[i] = m.partition ?? 0;
    }
    const id = this.#nextId++;
    const worker = this.#worker ??= this.#start();
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage(
        {
          type: "send",
          id,
          topic: first.topic,
          headers: [...(headers ?? new Map<Buffer, Buffer>())],
          keys,
          values,
          partitions,
        } satisfies ToProducerThread,
        [partitions.buffer],
      );
    });
  }

  close(): Promise<void> {
    return this.#closing ??= this.#close();
  }

  async #close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    const closed = new Promise<void>((resolve) => this.#closed = resolve);
    worker.postMessage({ type: "close" } satisfies ToProducerThread);
    await closed;
    this.#stop(worker, new Error("producer closed"));
  }

  #start(): Worker {
    const worker = new Worker(new URL("./producer_thread.ts", import.meta.url).href, {
      type: "module",
    });
    worker.onmessage = (event: MessageEvent<FromProducerThread>) => this.#heard(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`producer thread failed: ${event.message}`);
      this.#options.health?.down(this.#options.clientId, error);
      this.#options.health?.restarted(this.#options.clientId);
      this.#stop(worker, error);
      this.#closed?.();
    };
    const { kafka, clientId, graceMs } = this.#options;
    worker.postMessage(
      {
        type: "init",
        kafka,
        clientId,
        ...(graceMs !== undefined && { graceMs }),
      } satisfies ToProducerThread,
    );
    return worker;
  }

  #heard(message: FromProducerThread): void {
    const { health, clientId } = this.#options;
    switch (message.type) {
      case "sent":
        this.#take(message.id)?.resolve();
        return;
      case "failed": {
        const error = new Error(message.message);
        error.name = message.name;
        this.#take(message.id)?.reject(error);
        return;
      }
      case "health":
        if (message.event === "up") health?.up(clientId);
        else if (message.event === "down") health?.down(clientId, new Error(message.message));
        else health?.restarted(clientId);
        return;
      case "closed":
        this.#closed?.();
    }
  }

  #take(id: number): _Waiting | undefined {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    return waiting;
  }

  /** Ends `worker`; what it still had fails with `error`. */
  #stop(worker: Worker, error: Error): void {
    worker.terminate();
    if (this.#worker === worker) this.#worker = undefined;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}
