import { z } from "zod";
import { idSchema } from "../domain/ids.ts";

/** Largest accepted text frame, in bytes of UTF-16 code units (64 KiB). */
export const MAX_FRAME_CHARS = 64 * 1024;
/** Most fixes in one `locations` frame. */
export const MAX_BATCH_POINTS = 100;

// A custom check, so the range rules (`fix_filter.ts`) give the error codes; `meta` says what it
// is in JSON Schema.
const number = z.custom<number>((v) => typeof v === "number", "must be a number")
  .meta({ type: "number" });
const optionalNumber = number.optional();

/** One GPS fix as a driver sends it. */
export const fixSchema = z.object({
  lat: number,
  lon: number,
  ts: number,
  speed: optionalNumber,
  heading: optionalNumber,
  accuracy: optionalNumber,
});

/** A fix as received from the driver. */
export type Fix = z.infer<typeof fixSchema>;

/** Frames a driver may send on `GET /ws/driver`. */
export const driverFrameSchema = z.discriminatedUnion("type", [
  fixSchema.extend({ type: z.literal("location") }),
  z.object({
    type: z.literal("locations"),
    // The upper bound is checked apart, to answer `batch_too_large`; `meta` documents it.
    points: z.array(fixSchema).min(1).meta({ maxItems: MAX_BATCH_POINTS }),
  }),
  z.object({
    type: z.literal("order"),
    orderId: idSchema,
    event: z.enum(["picked_up", "delivered"]),
  }),
]);

/** A parsed driver frame. */
export type DriverFrame = z.infer<typeof driverFrameSchema>;

/** Error codes sent in `{"type":"error"}` frames; the README documents each. */
export const ERROR_CODES = [
  "frame_too_large",
  "invalid_json",
  "unknown_type",
  "invalid_frame",
  "batch_too_large",
  "not_finite",
  "out_of_range",
  "null_island",
  "future_timestamp",
  "timestamp_not_ms",
  "duplicate",
  "stale",
  "impossible_speed",
  "busy",
  "unavailable",
  "not_supported",
  "rate_limited",
  "order_not_found",
  "not_your_order",
  "invalid_transition",
] as const;

/** One of {@linkcode ERROR_CODES}. */
export type ErrorCode = typeof ERROR_CODES[number];

/** Frames the server sends to a driver. */
export const driverServerFrameSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("ack"),
    ts: z.number().meta({ description: "Every accepted fix up to this `ts` is in Kafka." }),
  }),
  z.object({
    type: z.literal("order"),
    orderId: z.string(),
    status: z.string().meta({ description: "The order's status after the event." }),
  }),
  z.object({
    type: z.literal("error"),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    ts: z.number().optional().meta({ description: "The fix refused, when there is one." }),
  }),
]);

/** A frame the server sends to a driver. */
export type DriverServerFrame = z.infer<typeof driverServerFrameSchema>;

/** WebSocket close codes used on driver sockets. */
export const CLOSE_CODES = {
  /** The server is shutting down; reconnect elsewhere. */
  goingAway: 1001,
  /** A frame larger than {@linkcode MAX_FRAME_CHARS}. */
  tooLarge: 1009,
  /** Kafka did not take fixes; reconnect and resend everything after the last ack. */
  unavailable: 1011,
  /** The token expired while the socket was open; reconnect with a fresh one. */
  tokenExpired: 4001,
  /** A newer socket of the same driver replaced this one; do not reconnect from this one. */
  replaced: 4009,
  /** The client kept sending over its rate limit after being told. */
  rateLimited: 4029,
} as const;

/** The server side of one driver connection, as the actor sees it. */
export interface DriverSocket {
  /** Sends one frame; dropped silently when the socket is already closed. */
  send(frame: DriverServerFrame): void;
  /** Closes the socket with a code and reason. */
  close(code: number, reason: string): void;
}
