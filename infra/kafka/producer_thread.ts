/**
 * The body of a producer thread (a Deno worker; `ThreadedProducer` starts it): a
 * {@linkcode ResilientProducer} that encodes and sends the batches the service's thread posts,
 * and answers each one, `sent` or `failed`. Its health changes go back as messages.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { Buffer } from "node:buffer";
import { ResilientProducer, type StringMessage } from "./resilient_producer.ts";
import type { FromProducerThread, ToProducerThread } from "./producer_thread_protocol.ts";

let producer: ResilientProducer | undefined;
/** The last health event told, so a send's `up` is told only when the state changes. */
let told: "up" | "down" | undefined;

const post = (message: FromProducerThread) => self.postMessage(message);

self.onmessage = (event: MessageEvent<ToProducerThread>) => {
  const message = event.data;
  switch (message.type) {
    case "init":
      producer = new ResilientProducer({
        kafka: message.kafka,
        clientId: message.clientId,
        ...(message.graceMs !== undefined && { graceMs: message.graceMs }),
        health: {
          up: () => {
            if (told !== "up") post({ type: "health", event: "up" });
            told = "up";
          },
          down: (_component, error) => {
            told = "down";
            post({ type: "health", event: "down", message: _text(error) });
          },
          restarted: () => post({ type: "health", event: "restarted" }),
        },
      });
      return;
    case "send":
      return void _send(message);
    case "close":
      return void producer?.close().finally(() => post({ type: "closed" }));
  }
};

async function _send(batch: Extract<ToProducerThread, { type: "send" }>): Promise<void> {
  const headers = new Map(batch.headers.map(([k, v]) => [_buffer(k), _buffer(v)]));
  const messages: StringMessage[] = batch.keys.map((key, i) => ({
    topic: batch.topic,
    key,
    value: batch.values[i]!,
    partition: batch.partitions[i]!,
    headers,
  }));
  try {
    if (!producer) throw new Error("producer thread not initialised");
    await producer.send(messages);
    post({ type: "sent", id: batch.id });
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    post({ type: "failed", id: batch.id, name, message: _text(error) });
  }
}

function _buffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function _text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
