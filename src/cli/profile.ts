/**
 * `sqlperf profile`: one statement, a warm-up run and N measured runs (see src/slow/profile.ts),
 * the spread on stdout. Exit 0 profiled, 1 refused or failed, 2 usage.
 */
import { formatDbError, isDbError } from '../db';
import { formatProfileText, profileJson, profileRefusal, profileStatement } from '../slow';
import type { ProfileCliOptions } from './slow-args';
import { processIo, type CliIo as SlowIo } from './io';
import { openServerTarget, TargetUsageError } from './slow-target';

export async function runProfile(o: ProfileCliOptions, io: SlowIo = processIo()): Promise<number> {
  const note = (s: string) => io.stderr(`sqlperf: ${s}\n`);
  let opened;
  try {
    const params = o.params.length ? o.params : undefined;
    // Refuse writes before connecting when nothing allows them (the profile's readOnly is checked again below).
    const early = await profileRefusal(o.sql, { allowWrite: o.allowWrite, readOnlyProfile: false, params });
    if (early) throw early;
    opened = await openServerTarget(o.target, io.cwd, io.env, note);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await profileStatement(opened.target, o.sql, {
        runs: o.runs,
        allowWrite: o.allowWrite,
        readOnlyProfile: opened.readOnlyProfile,
        params,
        signal: abort.signal,
        onProgress: (i, n) => {
          if (io.env.SQLPERF_PROGRESS === '1' || process.stderr.isTTY) io.stderr(i === 0 ? 'sqlperf: warm-up run\n' : `sqlperf: run ${i}/${n}\n`);
        },
      });
      if (result.statementKind !== 'select' && result.statementKind !== 'values') note(`each run of the ${result.statementKind.toUpperCase()} was rolled back`);
      io.stdout(o.format === 'json' ? `${JSON.stringify(profileJson(result), null, 2)}\n` : formatProfileText(result));
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    return 0;
  } catch (e) {
    if (isDbError(e)) {
      note(formatDbError(e));
      return 1;
    }
    if (e instanceof TargetUsageError) {
      note(e.message);
      return 2;
    }
    throw e;
  } finally {
    await opened?.close();
  }
}
