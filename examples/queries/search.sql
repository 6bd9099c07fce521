-- Storefront search and the admin customer lookup.
-- Parameters are positional ($1, $2, ...) as node-postgres and pgx send them.

-- Product search box (typeahead). Everything is fetched, the client shows three fields.
SELECT *
FROM products
WHERE name LIKE '%' || $1 || '%'
ORDER BY name
LIMIT 20;

-- Product search, the fixed version: prefix match can use products_name_idx
-- (with text_pattern_ops or a C collation) and only the shown columns are read.
SELECT id, sku, name, price_cents
FROM products
WHERE name LIKE $1 || '%'
ORDER BY name
LIMIT 20;

-- Admin: find a customer by e-mail, whatever the case they typed.
SELECT id, email, full_name, created_at
FROM users
WHERE lower(email) = lower($1);

-- Admin: customers page 251 (50 per page).
SELECT id, email, full_name
FROM users
ORDER BY created_at DESC
LIMIT 50 OFFSET 5000;

-- Admin: same list, keyset pagination (what the new admin uses).
SELECT id, email, full_name, created_at
FROM users
WHERE created_at < $1
ORDER BY created_at DESC
LIMIT 50;

-- "You might also like": four random products from the same category.
SELECT id, name, price_cents
FROM products
WHERE category_id = $1
ORDER BY random()
LIMIT 4;

-- Orders without a coupon. Never returns a row: `= NULL` is never true.
SELECT id, user_id, total_cents
FROM orders
WHERE coupon_code = NULL
  AND placed_at >= now() - interval '7 days';

-- Orders placed this year, by a date function on the column.
SELECT id, total_cents
FROM orders
WHERE date_trunc('year', placed_at) = date_trunc('year', now())
ORDER BY placed_at;

-- Products in a category and its direct children.
SELECT p.id, p.name
FROM products p
WHERE p.category_id IN (SELECT c.id FROM categories c WHERE c.id = $1 OR c.parent_id = $1)
ORDER BY p.name
LIMIT 100;
