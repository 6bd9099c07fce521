/**
 * (c) Edit-to-diagnostics latency through the real protocol: the bundled server as a child
 * process, a 10,000-line SQL document, one-character incremental edits, each followed by a
 * pull `textDocument/diagnostic`; the time is from sending the edit to the answer.
 * (d) The server's peak resident memory (VmHWM) after opening that document.
 * The peer, postgres-language-server's `lsp-proxy`, pushes diagnostics instead of answering
 * pulls: for it the time is from the edit to the next publishDiagnostics of the document.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { loadParser, parsePg } from '../server/engine/parse/pgquery';
import { splitStatements } from '../server/engine/parse/splitter';
import { peerBin } from './cli-vs-peer';
import { fmt, nowMs, percentile, REPO, type Row } from './common';

/** Valid statements from the corpus, in corpus order, until the text has `lines` lines. */
export async function buildLargeDocument(files: readonly string[], lines: number): Promise<string> {
  await loadParser();
  const parts: string[] = [];
  let count = 0;
  outer: for (let round = 0; round < 10; round++) {
    for (const file of files) {
      for (const s of splitStatements(readFileSync(file, 'utf8'))) {
        if (!parsePg(s.text).ok) continue;
        const chunk = `${s.text};\n`;
        const n = chunk.split('\n').length - 1;
        if (count + n > lines) break outer;
        parts.push(chunk);
        count += n;
      }
    }
  }
  // Pad with blank lines to the exact size.
  return parts.join('') + '\n'.repeat(Math.max(0, lines - count));
}

/** Deterministic pseudo-random numbers: the same edits every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function peakRssMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Peak RSS of a process and everything it started (the peer runs a daemon child). */
function treePeakRssMiB(pid: number): number {
  let total = peakRssMiB(pid);
  if (!Number.isFinite(total)) return NaN;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) {
        const r = treePeakRssMiB(Number(child));
        if (Number.isFinite(r)) total += r;
      }
    }
  } catch {
    /* no children file on this kernel: the process alone */
  }
  return total;
}

export interface ServerUnderTest {
  command: string;
  args: string[];
  /** pull: textDocument/diagnostic after each edit; push: wait for publishDiagnostics */
  mode: 'pull' | 'push';
  /**
   * pull: send the last result id back, as VS Code does (the server may then answer
   * "unchanged"); false: ask afresh each time, which costs what an edit that changes the
   * diagnostics costs.
   */
  resultIds?: boolean;
}

export interface LspFigures {
  /** edits whose pull was answered "unchanged" */
  unchanged: number;
  openMs: number;
  diagnosticsOnOpen: number;
  p50: number;
  p95: number;
  rssAfterOpen: number;
  rssEnd: number;
}

interface DiagnosticReport {
  kind: 'full' | 'unchanged';
  resultId?: string;
  items?: unknown[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens `text` in the server, then makes `edits` one-character edits at pseudo-random
 * statement lines (a space typed at the end of a line, then deleted again: the document
 * stays valid and the same size) and times each until its diagnostics arrive.
 */
export async function measureServer(server: ServerUnderTest, text: string, edits: number): Promise<LspFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'sqlperf-lsp-bench-'));
  const path = join(dir, 'large.sql');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  const rootUri = pathToFileURL(dir).href;
  const docLines = text.split('\n');

  const child: ChildProcess = spawn(server.command, server.args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const conn: ProtocolConnection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  // Server -> client requests: settings (empty: the defaults), and the housekeeping ones
  // answered with null, as a quiet client would.
  conn.onRequest('workspace/configuration', (params: { items?: unknown[] }) => (params.items ?? []).map(() => ({})));
  for (const method of [
    'client/registerCapability',
    'client/unregisterCapability',
    'window/workDoneProgress/create',
    'window/showMessageRequest',
    'workspace/diagnostic/refresh',
    'workspace/codeLens/refresh',
    'workspace/inlayHint/refresh',
    'workspace/semanticTokens/refresh',
  ]) {
    conn.onRequest(method, () => null);
  }
  conn.onRequest('workspace/workspaceFolders', () => [{ uri: rootUri, name: 'bench' }]);
  // Push mode: every publishDiagnostics for our document resolves the current waiter.
  let published: ((count: number) => void) | null = null;
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
    if (p.uri === uri && published) {
      const done = published;
      published = null;
      done(p.diagnostics.length);
    }
  });
  conn.listen();

  const withTimeout = <T>(p: Promise<T>, what: string, ms = 60_000): Promise<T> =>
    Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out; server stderr: ${stderr.slice(-1000)}`)), ms).unref())]);
  let lastResultId: string | undefined;
  let lastCount = 0;
  /** pulls answered "unchanged" */
  let unchanged = 0;
  const diagnostics = (): Promise<number> => {
    if (server.mode === 'push') return withTimeout(new Promise<number>((r) => (published = r)), 'publishDiagnostics');
    const previousResultId = server.resultIds ? lastResultId : undefined;
    return withTimeout(conn.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId }) as Promise<DiagnosticReport>, 'textDocument/diagnostic').then((r) => {
      if (r.kind !== 'full' && r.kind !== 'unchanged') throw new Error(`unexpected diagnostic report ${JSON.stringify(r).slice(0, 200)}`);
      lastResultId = r.resultId;
      if (r.kind === 'unchanged') unchanged++;
      return r.items?.length ?? lastCount;
    }).then((n) => (lastCount = n));
  };

  try {
    await withTimeout(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'bench' }],
        capabilities: {
          workspace: { configuration: true, diagnostics: { refreshSupport: false } },
          textDocument: {
            synchronization: { dynamicRegistration: false },
            diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
            publishDiagnostics: {},
          },
        },
      }),
      'initialize',
    );
    await conn.sendNotification('initialized', {});

    const openStart = nowMs();
    const firstDiagnostics = server.mode === 'push' ? diagnostics() : null;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const diagnosticsOnOpen = await (firstDiagnostics ?? diagnostics());
    const openMs = nowMs() - openStart;
    await sleep(1000); // let a pushing server finish what it does after opening
    const rssAfterOpen = treePeakRssMiB(child.pid!);

    const random = lcg(42);
    const candidates = docLines.map((l, i) => (l.trim() !== '' ? i : -1)).filter((i) => i >= 0);
    const latencies: number[] = [];
    let version = 1;
    let pending: { line: number; character: number } | null = null;
    for (let i = 0; i < edits; i++) {
      let change;
      if (pending) {
        change = { range: { start: pending, end: { line: pending.line, character: pending.character + 1 } }, text: '' };
        pending = null;
      } else {
        const line = candidates[Math.floor(random() * candidates.length)];
        const at = { line, character: docLines[line].length };
        change = { range: { start: at, end: at }, text: ' ' };
        pending = at;
      }
      version++;
      published = null;
      const start = nowMs();
      const waiting = server.mode === 'push' ? diagnostics() : null;
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      await (waiting ?? diagnostics());
      latencies.push(nowMs() - start);
      // A pause between keystrokes (not timed): a late second publish of this edit must
      // not be taken for the answer to the next one.
      await sleep(20);
    }
    return {
      unchanged,
      openMs,
      diagnosticsOnOpen,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      rssAfterOpen,
      rssEnd: treePeakRssMiB(child.pid!),
    };
  } finally {
    try {
      await withTimeout(conn.sendRequest('shutdown'), 'shutdown', 5000);
      await conn.sendNotification('exit');
      await sleep(200);
    } catch {
      /* the kill below ends it */
    }
    conn.dispose();
    if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The peer's native binary (what its VS Code extension runs), not the npm wrapper script. */
function peerNativeBinary(): string | undefined {
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  const candidates = [
    process.env.SQLPERF_PEER_NATIVE,
    join(REPO, 'node_modules', '@postgres-language-server', `cli-${arch}-linux-gnu`, 'postgres-language-server'),
    join(REPO, 'node_modules', '@postgres-language-server', `cli-${arch}-linux-musl`, 'postgres-language-server'),
  ];
  const bin = peerBin();
  if (bin) candidates.push(join(dirname(realpathSync(bin)), '..', '..', `cli-${arch}-linux-gnu`, 'postgres-language-server'));
  return candidates.find((c): c is string => !!c && existsSync(c));
}

export async function benchLsp(files: readonly string[], edits = 200, lines = 10_000): Promise<Row[]> {
  const serverJs = join(REPO, 'dist', 'server.js');
  if (!existsSync(serverJs)) {
    console.log('(c)/(d) skipped: dist/server.js is missing (run node esbuild.mjs).');
    return [];
  }
  const text = await buildLargeDocument(files, lines);
  const ours = await measureServer({ command: process.execPath, args: [serverJs, '--stdio'], mode: 'pull', resultIds: true }, text, edits);
  // the same edits for a client that never sends result ids: every pull carries the full
  // list, as after an edit that changes a diagnostic
  const oursFull = await measureServer({ command: process.execPath, args: [serverJs, '--stdio'], mode: 'pull', resultIds: false }, text, edits);
  const peerBinary = process.platform === 'linux' ? peerNativeBinary() : undefined;
  let theirs: LspFigures | undefined;
  if (!peerBinary) console.log('(c) peer LSP skipped: postgres-language-server native binary not found.');
  else {
    try {
      theirs = await measureServer({ command: peerBinary, args: ['lsp-proxy'], mode: 'push' }, text, edits);
    } catch (e) {
      console.log(`(c) peer LSP failed: ${(e as Error).message}`);
    }
  }
  const peer = (f: (x: LspFigures) => number, digits = 2) => (theirs ? fmt(f(theirs), digits) : 'n/a');
  const ratio = (f: (x: LspFigures) => number) => (theirs ? fmt(f(ours) / f(theirs)) : 'n/a');
  return [
    { measure: `(c) open -> first diagnostics, ms (${lines} lines)`, sqlperf: fmt(ours.openMs, 0), peer: peer((x) => x.openMs, 0), ratio: ratio((x) => x.openMs), note: `${(text.length / 1024).toFixed(0)} KB; diagnostics on open: ${ours.diagnosticsOnOpen} vs ${theirs?.diagnosticsOnOpen ?? 'n/a'}` },
    { measure: `(c) edit -> diagnostics p50, ms (${edits} edits)`, sqlperf: fmt(ours.p50), peer: peer((x) => x.p50), ratio: ratio((x) => x.p50), note: `sqlperf: didChange + pull with the last result id, as VS Code (${ours.unchanged} answered "unchanged"); peer: didChange -> publishDiagnostics` },
    { measure: '(c) edit -> diagnostics p95, ms', sqlperf: fmt(ours.p95), peer: peer((x) => x.p95), ratio: ratio((x) => x.p95) },
    { measure: '(c) same, full list on every pull: p50, ms', sqlperf: fmt(oursFull.p50), peer: peer((x) => x.p50), ratio: ratio((x) => x.p50), note: 'no result ids: the cost of an edit that changes the diagnostics' },
    { measure: '(c) same, full list on every pull: p95, ms', sqlperf: fmt(oursFull.p95), peer: peer((x) => x.p95), ratio: ratio((x) => x.p95) },
    { measure: '(d) server peak RSS after open, MiB', sqlperf: fmt(ours.rssAfterOpen, 0), peer: peer((x) => x.rssAfterOpen, 0), ratio: ratio((x) => x.rssAfterOpen), note: 'VmHWM (process tree)' },
    { measure: '(d) server peak RSS after the edits, MiB', sqlperf: fmt(ours.rssEnd, 0), peer: peer((x) => x.rssEnd, 0), ratio: ratio((x) => x.rssEnd) },
  ];
}
