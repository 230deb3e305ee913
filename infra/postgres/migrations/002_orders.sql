-- Orders and their "driver near" / "driver arriving" notifications.
--
-- Orders change only through one conditional UPDATE ... WHERE status = ANY(...)
-- [AND driver_id = ...] RETURNING (see order_store.ts): when several instances
-- act on one order at once, the row lock makes the later UPDATE re-check its
-- WHERE on the new row, so exactly one of them wins.
CREATE TABLE orders (
  id            text             PRIMARY KEY, -- crypto.randomUUID(), made by the server
  restaurant_id text             NOT NULL,
  customer_id   text             NOT NULL,
  driver_id     text,                         -- NULL until assigned
  pickup_lat    double precision NOT NULL CHECK (pickup_lat BETWEEN -90 AND 90),
  pickup_lon    double precision NOT NULL CHECK (pickup_lon BETWEEN -180 AND 180),
  dropoff_lat   double precision NOT NULL CHECK (dropoff_lat BETWEEN -90 AND 90),
  dropoff_lon   double precision NOT NULL CHECK (dropoff_lon BETWEEN -180 AND 180),
  status        text             NOT NULL DEFAULT 'created'
    CHECK (status IN ('created', 'assigned', 'picked_up', 'delivered', 'cancelled')),
  created_at    bigint           NOT NULL, -- epoch ms
  updated_at    bigint           NOT NULL, -- epoch ms of the last change
  -- Only an order that is waiting (or was cancelled) may lack a driver.
  CONSTRAINT orders_driver_when_assigned
    CHECK (driver_id IS NOT NULL OR status IN ('created', 'cancelled'))
);

-- Fan-out: which orders does a batch of fixes from these drivers concern?
-- Partial, so delivered orders (nearly all rows, in time) cost nothing.
CREATE INDEX orders_active_by_driver ON orders (driver_id)
  WHERE status IN ('assigned', 'picked_up');

-- A restaurant's dashboard: its open orders, oldest first.
CREATE INDEX orders_active_by_restaurant ON orders (restaurant_id, created_at)
  WHERE status IN ('created', 'assigned', 'picked_up');

-- A notification fires once per (order, kind, threshold) across all instances
-- and restarts: whoever inserts the row first sends it; the others hit the
-- unique key (INSERT ... ON CONFLICT DO NOTHING) and do not. `published` is set
-- once it is in Kafka, so a row stored by an instance that died before
-- publishing can be sent by the next one that sees it.
-- id = notificationId(order_id, kind, threshold_m), i.e. '<order>:<kind>:<m>'.
-- The unique index also serves "an order's notifications" (leading order_id).
CREATE TABLE notifications (
  id          text             PRIMARY KEY,
  order_id    text             NOT NULL REFERENCES orders (id),
  kind        text             NOT NULL CHECK (kind IN ('driver_near', 'driver_arriving')),
  threshold_m integer          NOT NULL CHECK (threshold_m > 0),
  distance_m  double precision NOT NULL CHECK (distance_m >= 0),
  driver_id   text             NOT NULL,
  ts          bigint           NOT NULL, -- fix time of the position that fired it, epoch ms
  created_at  bigint           NOT NULL, -- when it was stored, epoch ms
  published   boolean          NOT NULL DEFAULT false,
  CONSTRAINT notifications_once UNIQUE (order_id, kind, threshold_m)
);
