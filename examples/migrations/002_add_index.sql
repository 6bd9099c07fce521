-- 002: orders by customer got slow once we passed a million orders (see INC-412).
-- The account page filters by user_id and sorts by placed_at.

CREATE INDEX orders_user_id_idx ON orders (user_id);

-- Done right: no write lock on the busy table while the index builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_placed_at_idx ON orders (placed_at);

ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
