/**
 * (r) Findings per rule on the corpora, through the CLI exactly as a user runs it (so the
 * schema read from the corpus's DDL counts too), with every rule on, including those off by
 * default. Compared with the committed baseline bench/rule-counts.json: a rule whose count
 * moves is a rule whose precision changed, and the diff of that file shows it in review.
 *
 *   npx tsx bench/rule-counts.ts            print the table with the change against the baseline
 *   npx tsx bench/rule-counts.ts --update   also rewrite the baseline
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../server/engine/rules';
import { corpusRoot, REPO } from './common';

export const BASELINE = join(REPO, 'bench', 'rule-counts.json');
const CORPORA = ['postgres-regress', 'job'] as const;

export type RuleCounts = Record<string, Record<string, number>>;

/** rule id -> corpus -> findings; corpora missing on this machine are left out. */
export function countFindings(): RuleCounts {
  const dir = mkdtempSync(join(tmpdir(), 'sqlperf-rule-counts-'));
  try {
    const config = join(dir, 'sqlperf.json');
    const rules: Record<string, string> = {};
    for (const r of RULES) if (r.meta.enabledByDefault === false) rules[r.meta.id] = r.meta.defaultSeverity;
    writeFileSync(config, JSON.stringify({ rules }));
    const counts: RuleCounts = {};
    for (const r of RULES) counts[r.meta.id] = {};
    const ran = CORPORA.filter((corpus) => existsSync(join(corpusRoot(), corpus)));
    for (const corpus of ran) {
      for (const f of runCheck(join(corpusRoot(), corpus), config)) {
        const c = (counts[f.rule] ??= {});
        c[corpus] = (c[corpus] ?? 0) + 1;
      }
    }
    // zeros are figures too (a rule that stopped firing shows as a change)
    for (const c of Object.values(counts)) for (const corpus of ran) c[corpus] ??= 0;
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runCheck(path: string, config: string): Array<{ rule: string }> {
  const args = [join(REPO, 'dist', 'cli.js'), 'check', '--format', 'json', '--config', config, path];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  } catch (e) {
    // exit code 1 means "errors found": the JSON is still on stdout
    const err = e as { status?: number; stdout?: string; stderr?: string };
    if (err.status !== 1 || !err.stdout) throw new Error(`sqlperf check ${path} failed (exit ${err.status}): ${err.stderr ?? e}`);
    stdout = err.stdout;
  }
  return JSON.parse(stdout) as Array<{ rule: string }>;
}

function readBaseline(): RuleCounts {
  return existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, 'utf8')) as RuleCounts) : {};
}

/** Prints one row per rule: counts per corpus with the change against the baseline. */
export function printRuleCounts(counts: RuleCounts): void {
  const baseline = readBaseline();
  const ids = Object.keys(counts).sort();
  const cell = (id: string, corpus: string) => {
    const now = counts[id]?.[corpus];
    if (now === undefined) return 'n/a';
    const before = baseline[id]?.[corpus];
    if (before === undefined) return `${now} (new)`;
    return now === before ? String(now) : `${now} (${now > before ? '+' : ''}${now - before})`;
  };
  const offByDefault = new Set(RULES.filter((r) => r.meta.enabledByDefault === false).map((r) => r.meta.id));
  const rows = ids.map((id) => [id + (offByDefault.has(id) ? ' (off by default)' : ''), ...CORPORA.map((c) => cell(id, c))]);
  const header = ['rule', ...CORPORA];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '  ' + r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log('\nfindings per rule on the corpora (every rule on; change against bench/rule-counts.json)');
  console.log(line(header));
  console.log('  ' + '-'.repeat(widths.reduce((a, b) => a + b + 2, -2)));
  for (const r of rows) console.log(line(r));
  const totals = CORPORA.map((c) => ids.reduce((n, id) => n + (counts[id]?.[c] ?? 0), 0));
  console.log(line(['total', ...totals.map(String)]));
}

if (require.main === module) {
  const counts = countFindings();
  printRuleCounts(counts);
  if (process.argv.includes('--update')) {
    writeFileSync(BASELINE, JSON.stringify(counts, Object.keys(counts).sort().concat(...CORPORA), 2) + '\n');
    console.log(`\nwrote ${BASELINE}`);
  }
}
