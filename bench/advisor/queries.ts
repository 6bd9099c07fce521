/**
 * The advisor benchmark's workload: query templates of the shapes an index advisor should
 * handle (equality + range, ORDER BY ... LIMIT, a rare status as a constant, a wrapped
 * column, index-only reads, joins on foreign keys, LIKE '%x%', time ranges on an
 * append-only table). Parameters are `$n`: every query is costed with a generic plan.
 * The weight is how often the application runs it, relative to the others.
 */
export interface BenchQuery {
  name: string;
  sql: string;
  weight: number;
}

export const QUERIES: BenchQuery[] = [
  { name: 'user by email (expression)', weight: 20, sql: `SELECT id, name, status FROM users WHERE lower(email) = lower($1)` },
  { name: 'users of an account by status', weight: 5, sql: `SELECT id, name FROM users WHERE account_id = $1 AND status = $2` },
  { name: 'disabled users (rare status)', weight: 1, sql: `SELECT id, email, last_login_at FROM users WHERE status = 'disabled'` },
  { name: 'newest signups', weight: 2, sql: `SELECT id, email FROM users WHERE created_at >= $1 ORDER BY created_at LIMIT 100` },
  { name: 'user search (trigram)', weight: 1, sql: `SELECT id, email FROM users WHERE email ILIKE '%' || $1 || '%' LIMIT 20` },
  { name: 'account by name (expression)', weight: 2, sql: `SELECT id, plan FROM accounts WHERE lower(name) = lower($1)` },
  { name: 'user orders, newest first', weight: 20, sql: `SELECT id, total, created_at FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20` },
  { name: 'pending orders queue (partial)', weight: 10, sql: `SELECT id, user_id, total FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 50` },
  { name: 'old pending orders (partial + range)', weight: 2, sql: `SELECT count(*) FROM orders WHERE status = 'pending' AND created_at < $1` },
  { name: 'account orders in a period', weight: 5, sql: `SELECT id, total FROM orders WHERE account_id = $1 AND created_at >= $2 AND created_at < $3` },
  { name: 'user spend by status (covering)', weight: 5, sql: `SELECT sum(total) FROM orders WHERE user_id = $1 AND status = $2` },
  { name: 'orders in a period with email', weight: 2, sql: `SELECT o.id, o.total, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.created_at >= $1 AND o.created_at < $2` },
  { name: 'orders by coupon', weight: 1, sql: `SELECT id, total FROM orders WHERE coupon_code = $1` },
  { name: 'revenue per user in a period', weight: 1, sql: `SELECT user_id, sum(total) FROM orders WHERE created_at >= $1 AND created_at < $2 GROUP BY user_id` },
  { name: 'user orders since, in order', weight: 3, sql: `SELECT o.id, o.status FROM orders o WHERE o.user_id = $1 AND o.created_at >= $2 ORDER BY o.created_at` },
  { name: 'paid, not shipped (partial IS NULL)', weight: 3, sql: `SELECT id FROM orders WHERE shipped_at IS NULL AND status = 'paid' ORDER BY created_at LIMIT 100` },
  { name: 'cancel a user\'s pending orders', weight: 2, sql: `UPDATE orders SET status = 'cancelled' WHERE user_id = $1 AND status = 'pending'` },
  { name: 'ship an order', weight: 5, sql: `UPDATE orders SET status = 'shipped', shipped_at = now() WHERE id = $1` },
  { name: 'items of an order (FK, covering)', weight: 20, sql: `SELECT product_id, quantity FROM order_items WHERE order_id = $1` },
  { name: 'items of an order with products (FK join)', weight: 10, sql: `SELECT p.name, oi.quantity, oi.unit_price FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE oi.order_id = $1` },
  { name: 'times a product was sold (index-only)', weight: 3, sql: `SELECT count(*) FROM order_items WHERE product_id = $1` },
  { name: 'latest orders of a product (join)', weight: 3, sql: `SELECT o.id, o.created_at FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE oi.product_id = $1 ORDER BY o.created_at DESC LIMIT 20` },
  { name: 'order totals for a batch', weight: 2, sql: `SELECT order_id, sum(quantity * unit_price) FROM order_items WHERE order_id = ANY($1::bigint[]) GROUP BY order_id` },
  { name: 'product by sku', weight: 10, sql: `SELECT id, name, price FROM products WHERE sku = $1` },
  { name: 'category page by price', weight: 5, sql: `SELECT id, name, price FROM products WHERE category_id = $1 AND active = true ORDER BY price LIMIT 20` },
  { name: 'price band', weight: 1, sql: `SELECT id, name, price FROM products WHERE price BETWEEN $1 AND $2 ORDER BY price LIMIT 50` },
  { name: 'product search (trigram)', weight: 1, sql: `SELECT id, name FROM products WHERE name LIKE '%' || $1 || '%' LIMIT 20` },
  { name: 'events per kind in a window (time range)', weight: 2, sql: `SELECT kind, count(*) FROM events WHERE created_at >= $1 AND created_at < $2 GROUP BY kind` },
  { name: 'user activity feed', weight: 10, sql: `SELECT id, kind, created_at FROM events WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50` },
  { name: 'user events of a kind since', weight: 3, sql: `SELECT id, payload FROM events WHERE user_id = $1 AND kind = $2 AND created_at >= $3` },
  { name: 'failed logins since (rare kind)', weight: 2, sql: `SELECT count(*) FROM events WHERE kind = 'login_failed' AND created_at >= $1` },
  { name: 'recent purchases with email', weight: 2, sql: `SELECT e.id, u.email FROM events e JOIN users u ON u.id = e.user_id WHERE e.kind = 'purchase' AND e.created_at >= $1 ORDER BY e.created_at DESC LIMIT 20` },
  { name: 'purge old events', weight: 1, sql: `DELETE FROM events WHERE created_at < $1 AND kind = 'page_view'` },
  { name: 'accounts on a plan with users', weight: 1, sql: `SELECT a.name, count(*) FROM accounts a JOIN users u ON u.account_id = a.id WHERE a.plan = $1 GROUP BY a.name` },
];
