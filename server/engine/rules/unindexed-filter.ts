/**
 * A WHERE or JOIN column of a known table that leads no index of that table: the filter (or
 * the inner side of a nested loop) reads the whole table.
 *
 * Per table reference and query block: reported once, and only when none of the columns the
 * block compares on that table leads an index (a query filtering on the primary key and a
 * second column is served by the key). Counted as indexes: CREATE INDEX (also partial and
 * non-btree, to stay quiet when unsure), PRIMARY KEY and UNIQUE. Compared columns are those
 * of `=`, ranges, IN lists, BETWEEN and prefix LIKE against a constant, a parameter or
 * another table's column, outside OR branches. Views, temporary and derived (partition,
 * inheritance child) tables are skipped.
 */
import type { Facts, Predicate } from '../facts/types';
import { leadsIndex, type SchemaTable } from '../schema/model';
import type { Rule } from '../types';
import { displayName, resolveColumn, SYSTEM_COLUMNS } from './schema-util';

const RANGE = new Set(['=', '<', '<=', '>', '>=', 'in', 'between', 'like']);

export const unindexedFilter: Rule = {
  meta: {
    id: 'unindexed-filter',
    category: 'performance',
    defaultSeverity: 'information',
    needs: ['schema'],
    postgresOnly: true,
    description: 'A filter or join column that leads no index of its table makes PostgreSQL read the whole table.',
  },
  check({ facts, schema, report }) {
    if (!schema || facts.kind === 'create-index' || facts.kind === 'alter-table' || facts.kind === 'create-table') return;
    // per block and table reference: the columns compared, in order, and where
    const uses = new Map<string, { table: SchemaTable; equality: string[]; range: string[]; first: Predicate; start: number; end: number; indexed: boolean }>();
    for (const p of facts.predicates) {
      if ((p.clause !== 'where' && p.clause !== 'join') || p.underOr || p.negated || !RANGE.has(p.operator)) continue;
      if (p.kind === 'like' && (!p.like || p.like.leadingWildcard || p.like.param || p.operator !== 'like')) continue;
      const block = facts.blocks[p.block];
      if (!block) continue;
      for (const [side, other] of [[p.left, p.right], [p.right, p.left]] as const) {
        if (!side || side.kind !== 'column' || !other || !usableOther(facts, p, other)) continue;
        const col = side.columns[0];
        if (!col || SYSTEM_COLUMNS.has(col.name)) continue;
        const hit = resolveColumn(facts, schema, block, col);
        if (!hit || hit.table.kind !== 'table' || hit.table.temporary || hit.table.derived || !hit.table.columns.has(col.name)) continue;
        const key = `${p.block}\u0000${hit.relation.refName ?? hit.relation.name}`;
        let u = uses.get(key);
        if (!u) uses.set(key, (u = { table: hit.table, equality: [], range: [], first: p, start: -1, end: -1, indexed: false }));
        if (leadsIndex(hit.table, [col.name])) {
          u.indexed = true;
          continue;
        }
        // a join the other side can drive through its own index is served by that index
        if (other.kind === 'column' && other.columns[0]) {
          const there = resolveColumn(facts, schema, block, other.columns[0]);
          if (there && leadsIndex(there.table, [other.columns[0].name])) continue;
        }
        if (u.start < 0) {
          u.first = p;
          u.start = col.span.start;
          u.end = col.span.end;
        }
        const list = p.operator === '=' || p.operator === 'in' ? u.equality : u.range;
        if (!u.equality.includes(col.name) && !u.range.includes(col.name)) list.push(col.name);
      }
    }
    for (const u of uses.values()) {
      if (u.indexed || u.start < 0) continue;
      const columns = [...u.equality, ...u.range];
      const table = displayName(u.table);
      report({
        start: u.start,
        end: u.end,
        message: `No index of ${table} starts with ${columns.map((c) => `\`${c}\``).join(', ')}: this ${u.first.clause === 'join' ? 'join' : 'filter'} reads the whole table. An index on ${table} (${columns.join(', ')}) would let PostgreSQL look the rows up.`,
        command: {
          title: `Show the index suggestion for ${table} (${columns.join(', ')})`,
          command: 'sqlperf.advisor.revealSuggestion',
          arguments: [{ table, columns }],
        },
      });
    }
  },
};

/** The other side is something an index lookup can use: a constant, a parameter, a list, another column. */
function usableOther(facts: Facts, p: Predicate, o: NonNullable<Predicate['right']>): boolean {
  void facts;
  if (o.kind === 'constant' || o.kind === 'param' || o.kind === 'list') return true;
  if (o.kind === 'column') return p.clause === 'join' || o.columns.some((c) => c.scope === 'outer' || c.qualifier !== undefined);
  return false;
}
