/**
 * (b) Engine throughput in-process: the whole analysis (split, parse, facts, every rule)
 * against libpg-query's parseSync alone over the same statements. Parsing is the floor no
 * analysis can go under; the ratio says how much of the time the analysis adds on top.
 */
import { readFileSync } from 'node:fs';
import { loadModule, parseSync } from 'libpg-query';
import { Analyzer } from '../server/engine/analyze';
import { loadParser } from '../server/engine/parse/pgquery';
import { splitStatements } from '../server/engine/parse/splitter';
import { DEFAULT_SETTINGS } from '../server/engine/settings';
import { fmt, median, nowMs, type Row } from './common';

export async function benchThroughput(files: readonly string[], runs = 5): Promise<Row[]> {
  // the engine loads its own instance of the parser (server/engine/parse/pgquery.ts); the
  // peer's parseSync needs libpg-query's
  await Promise.all([loadParser(), loadModule()]);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);
  const mb = bytes / 1048576;
  const statements = texts.flatMap((t) => splitStatements(t).map((s) => s.text));

  const engineRun = () => {
    // A fresh analyzer each run: its per-statement cache would otherwise turn runs 2..n
    // into cache lookups.
    const analyzer = new Analyzer(DEFAULT_SETTINGS);
    let findings = 0;
    const start = nowMs();
    for (const text of texts) findings += analyzer.analyze(text, 'sql').findings.length;
    return { ms: nowMs() - start, findings };
  };
  const parseRun = () => {
    let failed = 0;
    const start = nowMs();
    for (const s of statements) {
      try {
        parseSync(s);
      } catch {
        failed++;
      }
    }
    return { ms: nowMs() - start, failed };
  };

  // Warm up the JIT and the WebAssembly module once, then interleave.
  engineRun();
  const { failed } = parseRun();
  const engineMs: number[] = [];
  const parseMs: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const e = engineRun();
    engineMs.push(e.ms);
    findings = e.findings;
    parseMs.push(parseRun().ms);
  }
  const engineMBs = mb / (median(engineMs) / 1000);
  const parseMBs = mb / (median(parseMs) / 1000);
  return [
    {
      measure: `(b) throughput MB/s (${fmt(mb, 1)} MB, ${statements.length} stmts, median of ${runs})`,
      sqlperf: fmt(engineMBs),
      peer: fmt(parseMBs),
      ratio: fmt(engineMBs / parseMBs),
      note: `peer = libpg-query parseSync only (${failed} stmts rejected); target ratio >= 0.6`,
    },
    { measure: '(b) engine findings', sqlperf: String(findings), peer: '', ratio: '' },
  ];
}
