-- driver_locations becomes range-partitioned on ts, one partition per UTC day.
--
-- At 100,000 drivers and one fix every 5 s the table grows by about 1.7 billion rows a day.
-- Day partitions make pruning cheap (DROP TABLE of a whole day instead of DELETE and vacuum)
-- and let a query with a time range read only the days it covers.
--
-- Naming (benchmarks and history_partitions.ts depend on it, keep it exactly):
--   parent    driver_locations PARTITION BY RANGE (ts), PRIMARY KEY (driver_id, ts) INCLUDE (...)
--   partition driver_locations_pYYYYMMDD
--             FOR VALUES FROM (<UTC day start, epoch ms>) TO (<next UTC day start, epoch ms>)
-- There is no default partition: a row for a day without a partition is refused (SQLSTATE 23514,
-- "no partition of relation ... found for row"), and the history store creates the partition and
-- retries. The retention round (infra/postgres/postgres_retention.ts, hourly) creates today and the
-- next 3 days ahead, and drops days older than HISTORY_RETENTION_DAYS.
--
-- The key (driver_id, ts) is that of 001. Each partition holds its own index of it, which serves
-- history (driver_id = $1 AND ts BETWEEN ...) and latest (ORDER BY ts DESC LIMIT 1); the planner
-- reads the partitions in ts order and skips those outside the range. The index INCLUDEs every
-- other column, so those reads are index-only scans: rows arrive in time order, a driver's hour of
-- fixes is spread over ~700 heap pages of its day but sits in ~10 pages of the index (measured on
-- 50 M rows: 718 buffers and 8.7 ms against 12 buffers and 0.25 ms, docs/performance_history.md).
-- A page counts once vacuum has marked it all-visible; autovacuum does that as a day fills.
--
-- Rows already stored are moved in this migration's transaction: the old table is renamed, the
-- partitions its rows need are created, the rows are copied, the old table is dropped. That is
-- a full rewrite under an exclusive lock: on a large table, plan for the time it takes.
ALTER TABLE driver_locations RENAME TO driver_locations_unpartitioned;
ALTER INDEX driver_locations_pkey RENAME TO driver_locations_unpartitioned_pkey;

CREATE TABLE driver_locations (
  driver_id   text             NOT NULL,
  seq         bigint           NOT NULL,
  ts          bigint           NOT NULL, -- fix time, epoch ms (from the device); the partition key
  lat         double precision NOT NULL,
  lon         double precision NOT NULL,
  speed       real,                      -- m/s
  heading     real,                      -- degrees
  accuracy    real,                      -- metres
  region      text             NOT NULL,
  received_at bigint           NOT NULL, -- server receive time, epoch ms
  PRIMARY KEY (driver_id, ts) INCLUDE (seq, lat, lon, speed, heading, accuracy, region, received_at)
) PARTITION BY RANGE (ts);

-- One partition per UTC day that holds rows, and today .. today + 3.
DO $$
DECLARE
  day_ms constant bigint := 86400000;
  today  bigint := floor(extract(epoch FROM now()) * 1000)::bigint;
  day    bigint;
BEGIN
  today := today - ((today % day_ms) + day_ms) % day_ms;
  FOR day IN
    SELECT DISTINCT ts - ((ts % day_ms) + day_ms) % day_ms FROM driver_locations_unpartitioned
    UNION
    SELECT today + n * day_ms FROM generate_series(0, 3) AS n
  LOOP
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF driver_locations FOR VALUES FROM (%s) TO (%s)',
      'driver_locations_p' || to_char(to_timestamp(day / 1000) AT TIME ZONE 'UTC', 'YYYYMMDD'),
      day, day + day_ms);
  END LOOP;
END
$$;

INSERT INTO driver_locations
  (driver_id, seq, ts, lat, lon, speed, heading, accuracy, region, received_at)
SELECT driver_id, seq, ts, lat, lon, speed, heading, accuracy, region, received_at
FROM driver_locations_unpartitioned;

DROP TABLE driver_locations_unpartitioned;

-- Order retention (postgres_retention.ts) deletes finished orders by updated_at, in batches.
CREATE INDEX orders_finished_by_updated ON orders (updated_at)
  WHERE status IN ('delivered', 'cancelled');
