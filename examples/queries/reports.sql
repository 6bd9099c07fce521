-- Reports for the back office (run nightly by the reporting job, and ad hoc by finance).

-- Customers who never ordered. NOT IN with a subquery returns nothing as soon as one
-- user_id is NULL, and it plans badly; NOT EXISTS is what we mean.
SELECT u.id, u.email
FROM users u
WHERE u.id NOT IN (SELECT o.user_id FROM orders o);

-- Same report, written with NOT EXISTS.
SELECT u.id, u.email
FROM users u
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id);

-- Revenue per category. The join condition got lost in a refactoring: every product
-- is paired with every category.
SELECT c.name, sum(p.price_cents) AS list_value
FROM products p, categories c
WHERE p.stock > 0
GROUP BY c.name;

-- Last order date per customer, one subquery per row.
SELECT u.id,
       u.email,
       (SELECT max(o.placed_at) FROM orders o WHERE o.user_id = u.id) AS last_order_at
FROM users u
WHERE u.deleted_at IS NULL;

-- Finance: everything about last month's orders in one row each.
SELECT o.id,
       u.email,
       p.sku,
       c.name AS category,
       oi.quantity,
       a.city,
       s.carrier,
       pay.provider,
       r.rating,
       parent.name AS parent_category
FROM orders o
JOIN users u            ON u.id = o.user_id
JOIN order_items oi     ON oi.order_id = o.id
JOIN products p         ON p.id = oi.product_id
JOIN categories c       ON c.id = p.category_id
LEFT JOIN categories parent ON parent.id = c.parent_id
JOIN shipments s        ON s.order_id = o.id
JOIN addresses a        ON a.id = s.address_id
JOIN payments pay       ON pay.order_id = o.id
LEFT JOIN reviews r     ON r.product_id = p.id AND r.user_id = u.id
WHERE o.placed_at >= date_trunc('month', now()) - interval '1 month'
  AND o.placed_at <  date_trunc('month', now())
ORDER BY o.id;

-- Daily revenue for the dashboard chart (fine: an index range scan on placed_at).
SELECT date_trunc('day', o.placed_at) AS day, sum(o.total_cents) AS revenue
FROM orders o
WHERE o.placed_at >= now() - interval '30 days'
GROUP BY 1
ORDER BY 1;

-- Top sellers.
SELECT p.id, p.name, sum(oi.quantity) AS sold
FROM order_items oi
JOIN products p ON p.id = oi.product_id
GROUP BY p.id, p.name
ORDER BY sold DESC
LIMIT 10;

-- Cleanup after the GDPR export job. Someone ran this from a script with the
-- WHERE clause on the next line commented out.
DELETE FROM audit_log;

-- Yearly price update.
UPDATE products SET price_cents = price_cents * 105 / 100 WHERE category_id = $1;

-- A quick look at some orders.
SELECT id, status, total_cents FROM orders LIMIT 10;

-- All orders, sorted, for the CSV export.
SELECT id, user_id, status, total_cents, placed_at
FROM orders
ORDER BY placed_at;
