import type { KafkaConnection } from "./kafka_connection.ts";

/** What the service's thread tells a producer thread (`infra/kafka/producer_thread.ts`). */
export type ToProducerThread =
  | {
    readonly type: "init";
    readonly kafka: KafkaConnection;
    readonly clientId: string;
    readonly graceMs?: number;
  }
  | {
    readonly type: "send";
    readonly id: number;
    /** One topic and one set of headers for the whole batch, so each is sent once. */
    readonly topic: string;
    readonly headers: readonly (readonly [Uint8Array, Uint8Array])[];
    readonly keys: readonly string[];
    readonly values: readonly string[];
    readonly partitions: Int32Array;
  }
  | { readonly type: "close" };

/** What a producer thread answers. */
export type FromProducerThread =
  | { readonly type: "sent"; readonly id: number }
  | {
    readonly type: "failed";
    readonly id: number;
    readonly name: string;
    readonly message: string;
  }
  | {
    readonly type: "health";
    readonly event: "up" | "down" | "restarted";
    readonly message?: string;
  }
  | { readonly type: "closed" };
