-- Phones registered as drivers (POST /drivers/:id/devices; docs/phones.md). The key a phone
-- sends is never stored: only its SHA-256 (hex), unique, so a key names one device. A revoked
-- device keeps its row (revoked_at set) and is never found by its key again.
CREATE TABLE devices (
  id         text PRIMARY KEY,
  driver_id  text NOT NULL,
  key_hash   text NOT NULL UNIQUE,
  created_at bigint NOT NULL, -- epoch ms
  revoked_at bigint           -- epoch ms; NULL while the device may send
);
CREATE INDEX devices_driver ON devices (driver_id) WHERE revoked_at IS NULL;
