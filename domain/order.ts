import { z } from "zod";
import { idSchema } from "./ids.ts";

/** Where an order is in its life: created → assigned → picked_up → delivered, or cancelled. */
export const ORDER_STATUSES = [
  "created",
  "assigned",
  "picked_up",
  "delivered",
  "cancelled",
] as const;

/** One of {@linkcode ORDER_STATUSES}. */
export type OrderStatus = typeof ORDER_STATUSES[number];

const _lat = z.number().min(-90).max(90);
const _lon = z.number().min(-180).max(180);

/** A point in degrees. */
export const geoPointSchema = z.object({ lat: _lat, lon: _lon });

/** A point in degrees. */
export type GeoPoint = Readonly<z.infer<typeof geoPointSchema>>;

/** An order as stored in PostgreSQL and carried in `order-events`. */
export const orderSchema = z.object({
  id: z.string(),
  restaurantId: z.string(),
  customerId: z.string(),
  driverId: z.string().nullable(),
  pickup: geoPointSchema,
  dropoff: geoPointSchema,
  status: z.enum(ORDER_STATUSES),
  createdAt: z.number().int().meta({ description: "Epoch ms." }),
  updatedAt: z.number().int().meta({ description: "Epoch ms of the last change." }),
});

/** An order as stored in PostgreSQL and carried in `order-events`. */
export type Order = Readonly<z.infer<typeof orderSchema>>;

/** Body of `POST /orders`. */
export const newOrderSchema = z.object({
  restaurantId: idSchema,
  customerId: idSchema,
  pickup: geoPointSchema,
  dropoff: geoPointSchema,
});

/** A new order as `POST /orders` accepts it. */
export type NewOrder = z.infer<typeof newOrderSchema>;
