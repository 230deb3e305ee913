-- Share links of an order (POST /orders/:id/share): each signed token carries its link's id
-- (`jti`), and a request with it is served only while its row is here and not revoked, so a
-- revocation (DELETE /orders/:id/share[/:shareId]) holds on every instance at once, with nothing
-- to broadcast. The token also expires on its own (`exp`), and the link ends at delivery or
-- cancellation (the order's status, read on each request anyway). Deleted with their order.
CREATE TABLE order_share_links (
  share_id   text   PRIMARY KEY,                                     -- crypto.randomUUID()
  order_id   text   NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  created_by text   NOT NULL,                                        -- role:sub of the creator
  created_at bigint NOT NULL,                                        -- epoch ms
  expires_at bigint NOT NULL,                                        -- epoch ms, the token's exp
  revoked_at bigint                                                  -- epoch ms; NULL while valid
);

-- Revoking every link of an order, and listing them.
CREATE INDEX order_share_links_by_order ON order_share_links (order_id);
