/**
 * What-if costs on one dedicated session: the planner's cost of each query with a given
 * set of candidate indexes in place.
 *   - server: HypoPG hypothetical indexes (per connection, hence one session), reset before
 *     every set and always at the end;
 *   - embedded: BEGIN; CREATE INDEX ...; EXPLAIN ...; ROLLBACK (real indexes, rolled back).
 * Queries with parameters get a generic plan (buildExplainScript decides how per version).
 */
import { buildExplainScript } from '../db/explain-sql';
import type { QuerySession } from '../db/target';
import { createIndexSql, quoteIdent } from './sql';
import type { Candidate, WorkloadQuery } from './types';

export interface WhatIfResult {
  /** query id -> total cost; queries whose EXPLAIN failed are missing */
  costs: Map<number, number>;
  /** estimated bytes per candidate key (only when asked) */
  sizes: Map<string, number>;
  /** candidates the database refused (e.g. a non-immutable expression): key -> message */
  rejected: Map<string, string>;
  /** queries that failed to explain: id -> message */
  failed: Map<number, string>;
}

export interface WhatIf {
  readonly mode: 'hypopg' | 'embedded';
  evaluate(set: readonly Candidate[], queries: readonly WorkloadQuery[], withSizes?: boolean): Promise<WhatIfResult>;
  /** drop whatever is left (hypopg_reset); never throws */
  cleanup(): Promise<void>;
}

const EXPLAIN_TIMEOUT_MS = 30_000;
const errorText = (e: unknown) => String((e as Error)?.message ?? e);

export function totalCost(rows: Array<Record<string, unknown>>): number {
  const cell = rows[0]?.['QUERY PLAN'];
  const plan = typeof cell === 'string' ? JSON.parse(cell) : cell;
  const cost = (plan as Array<{ Plan?: Record<string, unknown> }>)?.[0]?.Plan?.['Total Cost'];
  if (typeof cost !== 'number') throw new Error('EXPLAIN returned no cost');
  return cost;
}

/** EXPLAIN each query inside the open transaction, each under a savepoint so one failure does not end the rest. */
async function explainAll(session: QuerySession, version: number, queries: readonly WorkloadQuery[], out: WhatIfResult, signal?: AbortSignal): Promise<void> {
  for (const q of queries) {
    if (signal?.aborted) throw new Error('cancelled');
    const script = buildExplainScript({
      serverVersionNum: version,
      analyze: false,
      verbose: false,
      statement: q.text,
      paramCount: q.facts.params.length ? Math.max(...q.facts.params) : 0,
      readOnly: true,
      timeoutMs: EXPLAIN_TIMEOUT_MS,
      lockTimeoutMs: 5_000,
    });
    await session.query('SAVEPOINT sqlperf_whatif');
    let prepared = false;
    try {
      let last;
      for (const step of script.steps) {
        last = await session.query(step.sql, step.params);
        if (step.sql.startsWith('PREPARE')) prepared = true;
      }
      out.costs.set(q.id, totalCost(last!.rows));
      await session.query('RELEASE SAVEPOINT sqlperf_whatif');
    } catch (e) {
      out.failed.set(q.id, errorText(e));
      await session.query('ROLLBACK TO SAVEPOINT sqlperf_whatif');
    } finally {
      if (prepared) for (const sql of script.afterRollback) await session.query(sql);
    }
  }
}

const emptyResult = (): WhatIfResult => ({ costs: new Map(), sizes: new Map(), rejected: new Map(), failed: new Map() });

/** ROLLBACK that never throws: a failed rollback discards the connection (which rolls back). */
async function rollback(session: QuerySession): Promise<void> {
  try {
    await session.query('ROLLBACK');
  } catch (e) {
    session.discard(e);
  }
}

export class HypoPgWhatIf implements WhatIf {
  readonly mode = 'hypopg';
  constructor(private readonly session: QuerySession, private readonly version: number, private readonly signal?: AbortSignal) {}

  async evaluate(set: readonly Candidate[], queries: readonly WorkloadQuery[], withSizes = false): Promise<WhatIfResult> {
    const out = emptyResult();
    await this.session.query('SELECT hypopg_reset()');
    try {
      for (const c of set) {
        try {
          const r = await this.session.query('SELECT indexrelid FROM hypopg_create_index($1)', [createIndexSql(c)]);
          const oid = r.rows[0]?.indexrelid;
          if (withSizes && oid != null) {
            const s = await this.session.query('SELECT hypopg_relation_size($1::oid)::float8 AS size', [oid]);
            out.sizes.set(c.key, Number(s.rows[0]?.size));
          }
        } catch (e) {
          out.rejected.set(c.key, errorText(e));
        }
      }
      if (out.rejected.size) return out;
      await this.session.query('BEGIN READ ONLY');
      try {
        await explainAll(this.session, this.version, queries, out, this.signal);
      } finally {
        await rollback(this.session);
      }
      return out;
    } finally {
      await this.session.query('SELECT hypopg_reset()').catch((e: unknown) => this.session.discard(e));
    }
  }

  async cleanup(): Promise<void> {
    await this.session.query('SELECT hypopg_reset()').catch((e: unknown) => this.session.discard(e));
  }
}

export class TransactionalWhatIf implements WhatIf {
  readonly mode = 'embedded';
  constructor(private readonly session: QuerySession, private readonly version: number, private readonly signal?: AbortSignal) {}

  async evaluate(set: readonly Candidate[], queries: readonly WorkloadQuery[], withSizes = false): Promise<WhatIfResult> {
    const out = emptyResult();
    await this.session.query('BEGIN');
    try {
      for (const [i, c] of set.entries()) {
        const name = `sqlperf_whatif_${i}`;
        await this.session.query('SAVEPOINT sqlperf_ix');
        try {
          await this.session.query(createIndexSql(c, { name }));
          await this.session.query('RELEASE SAVEPOINT sqlperf_ix');
        } catch (e) {
          out.rejected.set(c.key, errorText(e));
          await this.session.query('ROLLBACK TO SAVEPOINT sqlperf_ix');
          continue;
        }
        if (withSizes) {
          const s = await this.session.query(`SELECT pg_relation_size(format('%I.%I', $1::text, $2::text)::regclass)::float8 AS size`, [c.schema, name]);
          out.sizes.set(c.key, Number(s.rows[0]?.size));
        }
      }
      if (out.rejected.size) return out;
      if (set.length) {
        // expression indexes need statistics on the expression to be costed fairly
        await this.session.query('SAVEPOINT sqlperf_an');
        try {
          await this.session.query('ANALYZE ' + [...new Set(set.map((c) => `${quoteIdent(c.schema)}.${quoteIdent(c.table)}`))].join(', '));
          await this.session.query('RELEASE SAVEPOINT sqlperf_an');
        } catch {
          await this.session.query('ROLLBACK TO SAVEPOINT sqlperf_an');
        }
      }
      await explainAll(this.session, this.version, queries, out, this.signal);
      return out;
    } finally {
      await rollback(this.session);
    }
  }

  async cleanup(): Promise<void> {}
}
