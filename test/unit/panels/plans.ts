/** Small EXPLAIN (FORMAT JSON) plans written by hand, in PostgreSQL's shape, for the pure tests. */

type J = Record<string, unknown>;

export function node(type: string, extra: J = {}, plans: J[] = []): J {
  return { 'Node Type': type, 'Startup Cost': 0, 'Total Cost': 10, 'Plan Rows': 100, 'Plan Width': 8, ...extra, ...(plans.length ? { Plans: plans } : {}) };
}

export function plan(root: J, extra: J = {}): unknown {
  return [{ Plan: root, ...extra }];
}

/**
 * SELECT c.name, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id
 * WHERE o.total > 10 GROUP BY c.name ORDER BY 2 DESC LIMIT 5
 */
export const JOIN_SQL = `SELECT c.name, count(*)
FROM customers c JOIN orders o ON o.customer_id = c.id
WHERE o.total > 10
GROUP BY c.name
ORDER BY 2 DESC
LIMIT 5`;

export function joinPlan(): unknown {
  return plan(
    node('Limit', { 'Total Cost': 500 }, [
      node('Sort', { 'Parent Relationship': 'Outer', 'Total Cost': 499, 'Sort Key': ['(count(*)) DESC'] }, [
        node('Aggregate', { Strategy: 'Hashed', 'Partial Mode': 'Simple', 'Parent Relationship': 'Outer', 'Total Cost': 450, 'Group Key': ['c.name'] }, [
          node('Hash Join', { 'Parent Relationship': 'Outer', 'Join Type': 'Inner', 'Total Cost': 400, 'Hash Cond': '(o.customer_id = c.id)' }, [
            node('Seq Scan', { 'Parent Relationship': 'Outer', 'Relation Name': 'orders', Alias: 'o', 'Total Cost': 300, Filter: '(o.total > 10)' }),
            node('Hash', { 'Parent Relationship': 'Inner', 'Total Cost': 50 }, [
              node('Seq Scan', { 'Parent Relationship': 'Outer', 'Relation Name': 'customers', Alias: 'c', 'Total Cost': 40 }),
            ]),
          ]),
        ]),
      ]),
    ]),
  );
}
