-- Zones (POST /zones): a GeoJSON Polygon or a circle, stored as JSON (`shape`), judged in memory
-- by every instance's zone judge (an R-tree of their boxes; docs/zones.md), re-read when
-- `count`, `max(created_at)` or the sum of the ids' hashes changes.
CREATE TABLE zones (
  id            text    PRIMARY KEY, -- crypto.randomUUID(), made by the server
  name          text    NOT NULL,
  restaurant_id text,                -- the restaurant whose pickup area this is, if any
  shape         jsonb   NOT NULL,    -- {"type":"Polygon","coordinates":...} | {"type":"Circle",...}
  dwell_s       integer NOT NULL CHECK (dwell_s >= 0),
  created_by    text    NOT NULL,    -- role:sub
  created_at    bigint  NOT NULL     -- epoch ms
);

-- Where each driver stands with each zone it has met: the judge's state, read per batch for the
-- batch's drivers, so a restart or a rebalance resumes from it (no second `enter`). A row changes
-- only for a newer last_ts, so a redelivered or late fix cannot move it back.
CREATE TABLE zone_presence (
  driver_id  text    NOT NULL,
  zone_id    text    NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  episode    integer NOT NULL CHECK (episode >= 0), -- the latest visit, from 1
  inside     boolean NOT NULL,
  entered_ts bigint  NOT NULL, -- fix time of the visit's enter, epoch ms
  dwelt      boolean NOT NULL,
  last_ts    bigint  NOT NULL, -- fix time of the last change, epoch ms
  PRIMARY KEY (driver_id, zone_id)
);

-- A judge starting reads who is inside a zone (to see them exit wherever they go).
CREATE INDEX zone_presence_inside ON zone_presence (driver_id) WHERE inside;

-- Each event once per (zone, driver, kind, visit) across instances, restarts and rebalances:
-- INSERT ... ON CONFLICT DO NOTHING, then published to zone-events until `published` is set.
-- The zone's name and restaurant are kept, so an event outlives its zone.
CREATE TABLE zone_events (
  id            text             PRIMARY KEY, -- '<zone>:<driver>:<kind>:<episode>'
  zone_id       text             NOT NULL,
  zone_name     text             NOT NULL,
  restaurant_id text,
  driver_id     text             NOT NULL,
  kind          text             NOT NULL CHECK (kind IN ('enter', 'exit', 'dwell')),
  episode       integer          NOT NULL CHECK (episode > 0),
  ts            bigint           NOT NULL, -- fix time of the position that decided it, epoch ms
  lat           double precision NOT NULL,
  lon           double precision NOT NULL,
  partition     integer          NOT NULL, -- the driver-locations partition it was judged on
  created_at    bigint           NOT NULL, -- epoch ms
  published     boolean          NOT NULL DEFAULT false,
  CONSTRAINT zone_events_once UNIQUE (zone_id, driver_id, kind, episode)
);
CREATE INDEX zone_events_unpublished ON zone_events (partition, created_at) WHERE NOT published;
CREATE INDEX zone_events_recent ON zone_events (created_at);

-- "driver_at_restaurant" (a dwell in the restaurant's zone) is a notification like the others,
-- once per order, with threshold 0.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
  CHECK (kind IN ('driver_near', 'driver_arriving', 'driver_at_restaurant'));
ALTER TABLE notifications DROP CONSTRAINT notifications_threshold_m_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_threshold_m_check CHECK (threshold_m >= 0);

-- A zone's restaurant must be known: named by some order.
CREATE INDEX orders_by_restaurant ON orders (restaurant_id);
