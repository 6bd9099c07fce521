/**
 * `npm run bench:advisor` (and section f of `npm run bench`): sqlperf's index advisor
 * against no new indexes and a dexter-style baseline, on a generated app-like database
 * (bench/advisor/schema.ts) and 30+ query templates (bench/advisor/queries.ts).
 *
 * One shared evaluator judges every index set: the set is created hypothetically with
 * HypoPG and the workload's cost is the sum of weight x generic-plan total cost. Prints
 * figures only, no verdict.
 *
 *   SQLPERF_BENCH_ADMIN_URL  server to create the database on (default
 *                            $SQLPERF_TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres)
 *   SQLPERF_BENCH_DB         database name (default sqlperf_bench_advisor; reused when its seed
 *                            and data version match, rebuilt otherwise)
 *   SQLPERF_BENCH_SEED       generator seed (default 42)
 *   BENCH_VERBOSE=1          also print every query's cost under each set, and the sets
 */
import { loadParser } from '../../server/engine/parse/pgquery';
import { advise, buildWorkload, type Candidate, type WorkloadQuery } from '../../src/advisor';
import { tableResolver } from '../../src/advisor/advise';
import { loadTables } from '../../src/advisor/catalog';
import { HypoPgWhatIf } from '../../src/advisor/whatif';
import { noSecrets, PoolRegistry } from '../../src/db';
import { fmt, nowMs, type Row } from '../common';
import { dexterBaseline } from './dexter';
import { QUERIES } from './queries';
import { DEFAULT_SEED, ensureBenchDatabase, ROWS, totalRows } from './schema';

export interface AdvisorBenchResult {
  rows: number;
  loadMs: number;
  reused: boolean;
  queries: number;
  sets: Array<{ name: string; indexes: number; cost: number; ratio: number; ms?: number; definitions: string[] }>;
  perQuery: Array<{ name: string; weight: number; costs: number[] }>;
  advisorMs: number;
  failed: string[];
}

function urls(): { admin: string; db: string; name: string } {
  const admin = process.env.SQLPERF_BENCH_ADMIN_URL ?? process.env.SQLPERF_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = process.env.SQLPERF_BENCH_DB ?? 'sqlperf_bench_advisor';
  const u = new URL(admin);
  u.pathname = `/${encodeURIComponent(name)}`;
  return { admin, db: u.toString(), name };
}

export function benchWorkload(): WorkloadQuery[] {
  return buildWorkload(QUERIES.map((q, i) => ({ text: q.sql, weight: q.weight, location: { file: 'bench/advisor/queries.ts', line: i + 1, column: 1 } })));
}

export async function runAdvisorBench(log: (s: string) => void = () => undefined): Promise<AdvisorBenchResult> {
  await loadParser();
  const seed = Number(process.env.SQLPERF_BENCH_SEED ?? DEFAULT_SEED);
  const u = urls();
  const load = await ensureBenchDatabase(u.admin, u.db, u.name, seed, log);
  const workload = benchWorkload();
  if (workload.length !== QUERIES.length) throw new Error(`only ${workload.length} of ${QUERIES.length} bench queries parsed`);
  const registry = new PoolRegistry(noSecrets, { env: { BENCH_ADVISOR_URL: u.db }, max: 2 });
  try {
    const target = await registry.target({ name: 'bench', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: 'BENCH_ADVISOR_URL' });
    const version = await target.serverVersionNum();

    // sqlperf's advisor, timed end to end (catalog, candidates, verification, selection)
    log('sqlperf advisor ...');
    const t0 = nowMs();
    // the benchmark's workload is its query list only, not whatever pg_stat_statements holds
    const report = await advise(target, workload, { housekeeping: false, serverStats: false });
    const advisorMs = nowMs() - t0;
    const ours = report.suggestions.map((s) => s.candidate);

    return await target.withSession(async (session) => {
      const whatIf = new HypoPgWhatIf(session, version);
      try {
        const resolve = tableResolver(await loadTables(session, workload));
        log('dexter-style baseline ...');
        const t1 = nowMs();
        const dexter = await dexterBaseline(whatIf, workload, resolve);
        const dexterMs = nowMs() - t1;

        // the one evaluator: the whole set hypothetical, weighted sum of generic-plan costs
        const failed = new Set<string>();
        const evaluate = async (set: Candidate[]) => {
          const r = await whatIf.evaluate(set, workload);
          for (const [k, m] of r.rejected) failed.add(`index refused: ${k}: ${m}`);
          for (const [id, m] of r.failed) failed.add(`query failed: ${QUERIES[id]?.name}: ${m}`);
          const per = workload.map((q) => r.costs.get(q.id) ?? NaN);
          return { per, total: workload.reduce((s, q, i) => s + q.weight * per[i], 0) };
        };
        const none = await evaluate([]);
        const dex = await evaluate(dexter.indexes);
        const sq = await evaluate(ours);
        const set = (name: string, c: Candidate[], e: { total: number }, ms?: number) => ({
          name,
          indexes: c.length,
          cost: e.total,
          ratio: e.total / none.total,
          ms,
          definitions: c.map((x) => `${x.kind.padEnd(10)} ${x.key}`),
        });
        return {
          rows: totalRows(),
          loadMs: load.ms,
          reused: load.reused,
          queries: workload.length,
          sets: [set('no new indexes', [], none), set('dexter-style (1-2 columns, 50%)', dexter.indexes, dex, dexterMs), set('sqlperf advise', ours, sq, advisorMs)],
          perQuery: workload.map((q, i) => ({ name: QUERIES[q.id].name, weight: q.weight, costs: [none.per[i], dex.per[i], sq.per[i]] })),
          advisorMs,
          failed: [...failed],
        };
      } finally {
        await whatIf.cleanup();
      }
    });
  } finally {
    await registry.closeAll().catch(() => undefined);
  }
}

export function printAdvisorBench(r: AdvisorBenchResult, verbose = false): void {
  const tables = Object.entries(ROWS).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ');
  console.log(`\nindex advisor benchmark: ${r.rows.toLocaleString('en-US')} rows (${tables}); ${r.reused ? 'database reused' : `generated in ${(r.loadMs / 1000).toFixed(1)} s`}; ${r.queries} queries`);
  const head = ['index set', 'indexes', 'weighted cost', 'ratio to no-index', 'run time'];
  const body = r.sets.map((s) => [s.name, String(s.indexes), fmt(s.cost, 0), fmt(s.ratio, 3), s.ms === undefined ? '' : `${(s.ms / 1000).toFixed(2)} s`]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log(line(head));
  console.log('  ' + '-'.repeat(w.reduce((a, b) => a + b + 2, -2)));
  for (const b of body) console.log(line(b));
  console.log(`  sqlperf advisor run time for the ${r.queries} queries: ${(r.advisorMs / 1000).toFixed(2)} s`);
  for (const f of r.failed) console.log(`  note: ${f}`);
  if (!verbose) return;
  for (const s of r.sets.slice(1)) {
    console.log(`\n  ${s.name}:`);
    for (const d of s.definitions) console.log(`    ${d}`);
  }
  console.log('\n  per query (weight: none / dexter-style / sqlperf):');
  for (const q of r.perQuery) console.log(`    ${q.name.padEnd(44)} ${String(q.weight).padStart(3)}: ${q.costs.map((c) => fmt(c, 1).padStart(10)).join(' ')}`);
}

/** Rows for bench/run.ts's table. */
export async function benchAdvisor(): Promise<Row[]> {
  const r = await runAdvisorBench();
  printAdvisorBench(r);
  const [, dex, sq] = r.sets;
  return [
    { measure: 'advisor: workload cost / no-index', sqlperf: fmt(sq.ratio, 3), peer: fmt(dex.ratio, 3), ratio: fmt(sq.ratio / dex.ratio), note: 'peer = dexter-style baseline; HypoPG, generic plans' },
    { measure: 'advisor: indexes suggested', sqlperf: String(sq.indexes), peer: String(dex.indexes), ratio: fmt(sq.indexes / Math.max(1, dex.indexes)) },
    { measure: `advisor: run time, ${r.queries} queries`, sqlperf: `${(r.advisorMs / 1000).toFixed(2)} s`, peer: `${((dex.ms ?? 0) / 1000).toFixed(2)} s`, ratio: fmt(r.advisorMs / (dex.ms ?? 1)) },
  ];
}

if (require.main === module) {
  runAdvisorBench((s) => console.log(s))
    .then((r) => printAdvisorBench(r, process.env.BENCH_VERBOSE === '1'))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
