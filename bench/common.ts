/**
 * Shared bits of the benchmarks: where the corpus and the peers are, statistics, and the
 * table printer. Benchmarks print ratios measured side by side in one run; absolute times
 * are shown for context, never as verdicts (the machines are noisy).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..');

/** `../shared/corpus` beside the repository, or SQLPERF_CORPUS (the folder that holds postgres-regress/). */
export function corpusRoot(): string {
  return resolve(process.env.SQLPERF_CORPUS ?? join(REPO, '..', 'shared', 'corpus'));
}

export function regressCorpus(): string | undefined {
  const dir = join(corpusRoot(), 'postgres-regress');
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : undefined;
}

export function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sqlFiles(p));
    else if (entry.name.endsWith('.sql')) out.push(p);
  }
  return out;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile, p in [0, 100]. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface Row {
  measure: string;
  sqlperf: string;
  peer: string;
  ratio: string;
  note?: string;
}

export function printTable(title: string, rows: readonly Row[]): void {
  const header: Row = { measure: 'measure', sqlperf: 'sqlperf', peer: 'peer', ratio: 'ratio', note: 'note' };
  const all = [header, ...rows];
  const w = (k: keyof Row) => Math.max(...all.map((r) => (r[k] ?? '').length));
  const widths = { measure: w('measure'), sqlperf: w('sqlperf'), peer: w('peer'), ratio: w('ratio') };
  const line = (r: Row) =>
    `  ${r.measure.padEnd(widths.measure)}  ${r.sqlperf.padStart(widths.sqlperf)}  ${r.peer.padStart(widths.peer)}  ${r.ratio.padStart(widths.ratio)}  ${r.note ?? ''}`.trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(`  ${'-'.repeat(widths.measure + widths.sqlperf + widths.peer + widths.ratio + 10)}`);
  for (const r of rows) console.log(line(r));
}

export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}
