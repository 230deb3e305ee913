-- History of accepted GPS fixes, written in batches by the history writer.
--
-- Why the key is (driver_id, ts) and not (driver_id, seq):
--   * The server rejects any fix whose ts is not newer than that driver's last
--     accepted fix, so ts is unique per driver.
--   * A fix the driver re-sends after a server crash keeps its ts, while its
--     seq would be reassigned by the new server instance.
--   So Kafka redelivery (same record twice) and a driver re-sending (same fix,
--   new seq) both hit this key, and INSERT ... ON CONFLICT DO NOTHING keeps
--   exactly one row per fix.
-- The same index serves history (driver_id = $1 AND ts BETWEEN ..., ascending)
-- and latest (ORDER BY ts DESC LIMIT 1).
CREATE TABLE driver_locations (
  driver_id   text             NOT NULL,
  seq         bigint           NOT NULL,
  ts          bigint           NOT NULL, -- fix time, epoch ms (from the device)
  lat         double precision NOT NULL,
  lon         double precision NOT NULL,
  speed       real,                      -- m/s
  heading     real,                      -- degrees
  accuracy    real,                      -- metres
  region      text             NOT NULL,
  received_at bigint           NOT NULL, -- server receive time, epoch ms
  PRIMARY KEY (driver_id, ts)
);
