// Order endpoints of the shop API (node-postgres).
import { Pool } from 'pg';
import sql from 'sql-template-tag';

export const pool = new Pool({
  host: process.env.PGHOST ?? 'localhost',
  database: 'shop',
  max: 50,
  idleTimeoutMillis: 0,
  connectionTimeoutMillis: 0,
});

export interface OrderLine {
  productId: number;
  name: string;
  quantity: number;
  unitCents: number;
}

export interface OrderSummary {
  id: number;
  status: string;
  totalCents: number;
  lines: OrderLine[];
}

/** The account page: a customer's recent orders with their lines. */
export async function recentOrders(userId: number): Promise<OrderSummary[]> {
  const { rows: orders } = await pool.query(
    'SELECT id, status, total_cents FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 20',
    [userId],
  );
  const result: OrderSummary[] = [];
  for (const order of orders) {
    // One round trip per order: 20 orders, 21 queries.
    const { rows } = await pool.query(
      'SELECT oi.product_id, p.name, oi.quantity, oi.unit_cents FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE oi.order_id = $1',
      [order.id],
    );
    result.push({
      id: order.id,
      status: order.status,
      totalCents: order.total_cents,
      lines: rows.map((r) => ({ productId: r.product_id, name: r.name, quantity: r.quantity, unitCents: r.unit_cents })),
    });
  }
  return result;
}

/** Back office order list, sortable by any column the grid offers. */
export async function listOrders(status: string, sortColumn: string, page: number) {
  const offset = page * 50;
  const { rows } = await pool.query(
    `SELECT * FROM orders WHERE status = $1 ORDER BY ${sortColumn} LIMIT 50 OFFSET ${offset}`,
    [status],
  );
  return rows;
}

/** Product lookup for the cart, done right: one query for all ids. */
export async function productsByIds(ids: number[]) {
  const { rows } = await pool.query(
    'SELECT id, sku, name, price_cents, stock FROM products WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return rows;
}

/** Customers who searched for a product name fragment (support tool). */
export async function searchCustomers(fragment: string) {
  const query = sql`
    SELECT id, email, full_name
    FROM users
    WHERE lower(email) LIKE ${'%' + fragment.toLowerCase() + '%'}
    ORDER BY email
    LIMIT 50`;
  const { rows } = await pool.query(query);
  return rows;
}

/** Marks an order shipped. */
export async function markShipped(orderId: number): Promise<void> {
  await pool.query('UPDATE orders SET status = $1, shipped_at = now() WHERE id = $2', ['shipped', orderId]);
}
