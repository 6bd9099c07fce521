/**
 * The `sqlperf` executable (dist/cli.js): starts the command in this process, or, for a
 * `check` on a machine with few cores, in a child Node process whose V8 gets fewer
 * background threads (see background-threads.ts). The child costs one Node start (about
 * 50 ms) and saves about 300 ms on a 2-core machine. Everything else about the run is the
 * child's: its output goes straight to ours, its exit code and its signal become ours.
 *
 * The command stays in this process when Node was started with options of its own
 * (`node --inspect dist/cli.js ...`: the user is choosing how Node runs) or with
 * `SQLPERF_SAME_PROCESS=1`.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { backgroundThreadsFor, POOL_SIZE_FLAG } from './background-threads';

const MAIN = join(__dirname, 'cli-main.js');
const args = process.argv.slice(2);
const size = args[0] === 'check' && !process.env.SQLPERF_SAME_PROCESS && process.execArgv.length === 0 ? backgroundThreadsFor(availableParallelism()) : undefined;

if (size === undefined) {
  require(MAIN);
} else {
  const child = spawn(process.execPath, [`${POOL_SIZE_FLAG}=${size}`, MAIN, ...args], { stdio: 'inherit' });
  // Ctrl-C reaches the child from the terminal too; a signal sent to us alone is passed on.
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  child.on('error', (e) => {
    process.stderr.write(`sqlperf: could not start the check: ${e.message}\n`);
    process.exitCode = 2;
  });
  child.on('exit', (code, signal) => {
    for (const [s, h] of handlers) process.off(s, h);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 2;
  });
}
