import { z } from "zod";
import { idSchema } from "../domain/ids.ts";
import { ERROR_CODES } from "../domain/error_codes.ts";
import { fixSchema } from "../domain/fix.ts";

/** Largest accepted text frame, in bytes of UTF-16 code units (64 KiB). */
export const MAX_FRAME_CHARS = 64 * 1024;
/** Most fixes in one `locations` frame. */
export const MAX_BATCH_POINTS = 100;

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

/** The server side of one driver connection, as the actor sees it. */
export interface DriverSocket {
  /** Sends one frame; dropped silently when the socket is already closed. */
  send(frame: DriverServerFrame): void;
  /** Closes the socket with a code and reason. */
  close(code: number, reason: string): void;
}
