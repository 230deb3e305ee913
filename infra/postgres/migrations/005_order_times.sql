-- When an order reached each step, so its track (GET /orders/:id/track) is the assigned
-- driver's fixes from assignment to delivery. Set by order_store.ts transitions; NULL until
-- the step happens, and for orders older than this migration (the track then falls back to
-- created_at and, for a finished order, updated_at).
-- A re-assignment sets assigned_at again: the track is the current driver's, from then on.
ALTER TABLE orders
  ADD COLUMN assigned_at  bigint, -- epoch ms of the (latest) assignment
  ADD COLUMN picked_up_at bigint, -- epoch ms
  ADD COLUMN delivered_at bigint; -- epoch ms
