/**
 * Runs the bundled CLI (dist/cli.js) as a child process, the way users and CI run it:
 * bugs that only show in the bundle (missing .wasm next to it, a module esbuild could not
 * resolve) are caught here and nowhere else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const CLI = process.env.SQLPERF_CLI ?? join(REPO, 'dist', 'cli.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliBuilt(): boolean {
  return existsSync(CLI);
}

export function run(args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A throw-away workspace: files written relative to it, removed by cleanup(). */
export class TempWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'sqlperf-cli-'));

  write(rel: string, content: string | Buffer): string {
    const path = join(this.dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  run(args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
    return run(args, this.dir, env);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
}

export function parseJsonOutput(r: RunResult): JsonFinding[] {
  try {
    return JSON.parse(r.stdout) as JsonFinding[];
  } catch (e) {
    throw new Error(`stdout is not JSON (${(e as Error).message}); exit ${r.code}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`);
  }
}
