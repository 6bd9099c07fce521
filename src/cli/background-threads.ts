/**
 * How many background threads V8 should get for a `sqlperf check` run.
 *
 * Node starts V8 with 4 background threads whatever the machine (its `--v8-pool-size`
 * default). They compile hot functions and help the garbage collector. On a machine with
 * fewer cores than that plus the main thread, they take turns with the main thread, which
 * does the analysis: on 2 cores, `check` of PostgreSQL's regression suite ran in 1.55 s
 * with one background thread and in 1.89 s with the default 4 (median of 7 interleaved
 * runs; 2 threads: 1.68 s). Leaving the main thread a core of its own is what helps, so
 * the pool gets the other cores, at least 1.
 */
export const NODE_DEFAULT_POOL_SIZE = 4;
export const POOL_SIZE_FLAG = '--v8-pool-size';

/** The pool size to run with on `cores` cores; undefined when Node's default is right already. */
export function backgroundThreadsFor(cores: number): number | undefined {
  const size = Math.max(1, Math.floor(cores) - 1);
  return size < NODE_DEFAULT_POOL_SIZE ? size : undefined;
}
