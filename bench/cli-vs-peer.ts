/**
 * (a) Whole-corpus CLI run: `sqlperf check --format json` against
 * `postgres-language-server check` (the Rust peer, from npm), wall time including process
 * start, median of interleaved runs so that drift in machine load hits both alike.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RULES } from '../server/engine/rules';
import { fmt, median, nowMs, REPO, type Row } from './common';

export interface RunOutcome {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function timed(cmd: string, args: string[], cwd: string): Promise<RunOutcome> {
  return new Promise((resolvePromise, reject) => {
    const start = nowMs();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      resolvePromise({ ms: nowMs() - start, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** node_modules/.bin/postgres-language-server (devDependency), or SQLPERF_PEER_BIN. */
export function peerBin(): string | undefined {
  const fromEnv = process.env.SQLPERF_PEER_BIN;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const local = join(REPO, 'node_modules', '.bin', 'postgres-language-server');
  return existsSync(local) ? local : undefined;
}

/**
 * The peer's static lint rules: the `Safety` group of the schema.json its platform package
 * ships (the other groups need a database). Fallback: undefined.
 */
function peerRuleCount(bin: string): number | undefined {
  const candidates = [
    join(dirname(bin), '..', '@postgres-language-server'),
    join(REPO, 'node_modules', '@postgres-language-server'),
  ];
  for (const base of candidates) {
    for (const platform of ['cli-x86_64-linux-gnu', 'cli-aarch64-linux-gnu', 'cli-x86_64-linux-musl', 'cli-x86_64-apple-darwin', 'cli-aarch64-apple-darwin']) {
      const schema = join(base, platform, 'schema.json');
      if (!existsSync(schema)) continue;
      try {
        const s = JSON.parse(readFileSync(schema, 'utf8')) as { definitions?: Record<string, { properties?: Record<string, unknown> }> };
        const props = s.definitions?.Safety?.properties;
        if (props) return Object.keys(props).filter((k) => k !== 'all' && k !== 'recommended').length;
      } catch {
        /* fall through */
      }
    }
  }
  return undefined;
}

interface PeerJson {
  diagnostics?: Array<{ category?: string }>;
}

export async function benchCliVsPeer(corpus: string, runs = 3): Promise<Row[]> {
  const cli = join(REPO, 'dist', 'cli.js');
  const bin = peerBin();
  if (!bin) {
    console.log('(a) peer missing: add devDependency @postgres-language-server/cli (or set SQLPERF_PEER_BIN); timing sqlperf alone.');
  }
  // The peer looks for postgres-language-server.jsonc and VCS files upward from its cwd:
  // run both from an empty directory so neither picks up anything of this repository.
  const cwd = mkdtempSync(join(tmpdir(), 'sqlperf-bench-'));
  const ours = () => timed(process.execPath, [cli, 'check', corpus, '--format', 'json'], cwd);
  const theirs = () =>
    timed(bin!, ['check', corpus, '--disable-db', '--vcs-enabled=false', '--reporter=json', '--max-diagnostics=none', '--colors=off'], cwd);

  try {
    // One untimed run each: the first read of 4 MB of files warms the page cache.
    const warmOurs = await ours();
    if (warmOurs.code !== 0 && warmOurs.code !== 1) throw new Error(`sqlperf check failed (exit ${warmOurs.code}): ${warmOurs.stderr.slice(0, 500)}`);
    if (bin) await theirs();

    const oursMs: number[] = [];
    const theirsMs: number[] = [];
    let lastOurs = warmOurs;
    let lastTheirs: RunOutcome | undefined;
    for (let i = 0; i < runs; i++) {
      lastOurs = await ours();
      oursMs.push(lastOurs.ms);
      if (bin) {
        lastTheirs = await theirs();
        theirsMs.push(lastTheirs.ms);
      }
    }

    const findings = JSON.parse(lastOurs.stdout) as Array<{ rule: string }>;
    const ourRulesFired = new Set(findings.map((f) => f.rule).filter((r) => r !== 'syntax-error')).size;
    const ourSyntax = findings.filter((f) => f.rule === 'syntax-error').length;

    let peerFindings = NaN;
    let peerSyntax = NaN;
    let peerRulesFired = NaN;
    if (lastTheirs) {
      const parsed = JSON.parse(lastTheirs.stdout) as PeerJson;
      const diags = parsed.diagnostics ?? [];
      peerFindings = diags.length;
      peerSyntax = diags.filter((d) => d.category === 'syntax').length;
      peerRulesFired = new Set(diags.map((d) => d.category ?? '').filter((c) => c.startsWith('lint/'))).size;
    }
    const oursMedian = median(oursMs);
    const theirsMedian = bin ? median(theirsMs) : NaN;
    const peerRules = bin ? peerRuleCount(bin) : undefined;
    const n = (x: number) => (Number.isFinite(x) ? String(x) : 'n/a');
    return [
      {
        measure: `(a) check corpus, wall ms (median of ${runs})`,
        sqlperf: fmt(oursMedian, 0),
        peer: fmt(theirsMedian, 0),
        ratio: fmt(oursMedian / theirsMedian),
        note: 'sqlperf ÷ postgres-language-server; <1 means sqlperf is faster',
      },
      { measure: '(a) rules on by default / available', sqlperf: `${RULES.filter((r) => r.meta.enabledByDefault !== false).length}/${RULES.length}`, peer: peerRules === undefined ? 'n/a' : `?/${peerRules}`, ratio: '', note: 'peer: its static "safety" lint group (recommended subset on by default)' },
      { measure: '(a) rules that fired', sqlperf: String(ourRulesFired), peer: n(peerRulesFired), ratio: '' },
      { measure: '(a) findings (all)', sqlperf: String(findings.length), peer: n(peerFindings), ratio: '', note: 'peer reports several diagnostics per syntax error' },
      { measure: '(a) of which syntax errors', sqlperf: String(ourSyntax), peer: n(peerSyntax), ratio: '' },
    ];
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
