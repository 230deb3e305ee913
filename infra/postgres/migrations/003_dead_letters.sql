-- Records the history writer could not store as data (a value PostgreSQL refuses, a record
-- that does not decode). They are set aside here, with where they came from and why, so the
-- rest of their partition flows on and nothing acked disappears without a trace.
-- Unique on the Kafka position: a redelivered record is kept once.
CREATE TABLE dead_letters (
  topic        text    NOT NULL,
  partition    integer NOT NULL,
  kafka_offset bigint  NOT NULL,
  payload      text    NOT NULL, -- the record as JSON, or the raw value; NUL bytes escaped
  error        text    NOT NULL,
  created_at   bigint  NOT NULL, -- epoch ms
  PRIMARY KEY (topic, partition, kafka_offset)
);
