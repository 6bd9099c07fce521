/**
 * The advisor on a real PostgreSQL server with HypoPG: the classic shapes are found and
 * verified, an existing index suppresses its suggestion, housekeeping finds planted
 * problems, awkward identifiers work, nothing is left behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { advise, buildWorkload, generateCandidates, type AdviceReport, type IndexKind, type WorkloadQuery } from '../../../src/advisor';
import { loadTables } from '../../../src/advisor/catalog';
import { tableResolver } from '../../../src/advisor/advise';
import { HypoPgWhatIf } from '../../../src/advisor/whatif';
import { requirePrerequisite } from '../../support/prerequisites';
import { createAdvisorFixture, DATABASE_URL, type AdvisorFixture } from './fixture';

const skip = requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set');

describe('index advisor on a server (HypoPG)', { skip }, () => {
  let f: AdvisorFixture;
  let O: string;
  let L: string;
  before(async () => {
    await loadParser();
    f = await createAdvisorFixture();
    O = `${f.s}."Orders"`;
    L = `${f.s}."Line Items"`;
  });
  after(async () => f?.cleanup());

  const workload = (...sqls: string[]): WorkloadQuery[] => buildWorkload(sqls.map((text, i) => ({ text, location: { file: 'q.sql', line: i + 1, column: 1 } })));

  /** a candidate of this kind exists for the query, and alone lowers its cost by >= 30% */
  async function verifiedKind(sql: string, kind: IndexKind): Promise<{ before: number; after: number; key: string }> {
    const qs = workload(sql);
    assert.equal(qs.length, 1, 'the query is part of the workload');
    return f.target.withSession(async (session) => {
      const tables = await loadTables(session, qs);
      const { candidates } = generateCandidates(qs, tableResolver(tables));
      const c = candidates.find((x) => x.kind === kind);
      assert.ok(c, `a ${kind} candidate among: ${candidates.map((x) => `${x.kind} ${x.key}`).join('; ')}`);
      const w = new HypoPgWhatIf(session, await f.target.serverVersionNum());
      const base = await w.evaluate([], qs);
      const withIx = await w.evaluate([c], qs);
      const before = base.costs.get(qs[0].id)!;
      const after = withIx.costs.get(qs[0].id)!;
      assert.ok(after <= before * 0.7, `${c.key}: ${before} -> ${after}`);
      return { before, after, key: c.key };
    });
  }

  it('equality + range', async () => {
    const r = await verifiedKind(`SELECT id, total FROM ${O} WHERE "Customer Id" = $1 AND placed_at >= $2`, 'btree');
    assert.match(r.key, /\("Customer Id", "placed_at"\)/);
  });
  it('ORDER BY ... LIMIT', async () => {
    const r = await verifiedKind(`SELECT id, total FROM ${O} ORDER BY placed_at DESC LIMIT 10`, 'btree');
    assert.match(r.key, /"placed_at" DESC/);
  });
  it('partial index for a constant predicate', async () => {
    const r = await verifiedKind(`SELECT id, total FROM ${O} WHERE status = 'pending' ORDER BY placed_at LIMIT 20`, 'partial');
    assert.match(r.key, /WHERE "status" = 'pending'/);
  });
  it('expression index for a wrapped column', async () => {
    const r = await verifiedKind(`SELECT id FROM ${O} o WHERE lower(o.email) = lower($1)`, 'expression');
    assert.match(r.key, /\(lower\("email"\)\)/);
  });
  it('covering index (INCLUDE)', async () => {
    const r = await verifiedKind(`SELECT "Customer Id", total FROM ${O} WHERE "Customer Id" = $1`, 'covering');
    assert.match(r.key, /INCLUDE \("total"\)/);
  });

  describe('the whole workload', () => {
    let report: AdviceReport;
    before(async () => {
      const qs = workload(
        `SELECT id, total FROM ${O} WHERE "Customer Id" = $1 AND placed_at >= $2`,
        `SELECT id, total FROM ${O} WHERE "Customer Id" = $1 AND placed_at >= $2`,
        `SELECT id FROM ${O} o WHERE lower(o.email) = lower($1)`,
        `SELECT * FROM ${L} WHERE sku = $1`,
        `SELECT id FROM ${O} WHERE email LIKE '%' || $1 || '%'`,
      );
      report = await advise(f.target, qs, { schemas: [f.schema], serverStats: false });
    });

    it('suggests verified indexes with cost before and after per query', () => {
      assert.ok(report.suggestions.length >= 2, JSON.stringify(report.suggestions.map((s) => s.definition)));
      for (const s of report.suggestions) {
        assert.match(s.definition, /^CREATE INDEX CONCURRENTLY "[^"]+" ON "Adv ""Q"" [^"]+"\."Orders"/);
        assert.ok(s.queries.every((q) => q.costAfter <= q.costBefore * 0.7));
        assert.ok(s.estimatedSizeBytes && s.estimatedSizeBytes > 8192, `size ${s.estimatedSizeBytes}`);
        assert.equal(s.verifiedBy, 'hypopg');
      }
      assert.ok(report.suggestions.some((s) => s.candidate.kind === 'expression'));
      // the first query appears twice: counted twice
      assert.equal(report.queries[0].weight, 2);
    });

    it('the definitions run as written', async () => {
      for (const s of report.suggestions) {
        await f.client.query(s.definition);
        const name = /CONCURRENTLY ("(?:[^"]|"")+")/.exec(s.definition)![1];
        await f.client.query(`DROP INDEX ${f.s}.${name}`);
      }
    });

    it('an existing index suppresses its suggestion', () => {
      assert.ok(!report.suggestions.some((s) => s.candidate.table === 'Line Items'));
      assert.ok(report.notes.some((n) => /existing index li_sku_(idx|dup) covers it/.test(n)), report.notes.join('\n'));
    });

    it('says the trigram index needs the embedded database', () => {
      assert.ok(report.notes.some((n) => /gin_trgm_ops.*HypoPG cannot fake a GIN index/.test(n)), report.notes.join('\n'));
    });

    it('housekeeping finds the unused, duplicate and missing-FK indexes', () => {
      const h = report.housekeeping;
      assert.ok(h.some((x) => x.kind === 'unused-index' && x.index === 'li_qty_unused'), JSON.stringify(h));
      assert.ok(h.some((x) => x.kind === 'duplicate-index' && /li_sku_(idx|dup)/.test(x.index ?? '')), JSON.stringify(h));
      assert.ok(h.some((x) => x.kind === 'fk-without-index' && x.table.endsWith('Line Items') && /order_id/.test(x.detail)), JSON.stringify(h));
      // primary keys are never "unused"
      assert.ok(!h.some((x) => x.kind === 'unused-index' && /_pkey$/.test(x.index ?? '')));
    });

    it('leaves no hypothetical index and no open transaction behind', async () => {
      // every connection of the pool (max 2), held at once
      let release!: () => void;
      const hold = new Promise<void>((r) => (release = r));
      const counts: number[] = [];
      const one = () => f.target.withSession(async (s) => {
        counts.push(Number((await s.query('SELECT count(*)::int AS n FROM hypopg_list_indexes')).rows[0].n));
        if (counts.length === 2) release();
        await hold;
      });
      await Promise.all([one(), one()]);
      assert.deepEqual(counts, [0, 0]);
      const idle = await f.client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'sqlperf' AND state LIKE 'idle in transaction%'`);
      assert.equal(idle.rows[0].n, 0);
    });
  });
});
