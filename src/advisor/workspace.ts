/**
 * The workspace's statements as the advisor's workload, found by the same scan as Slow
 * Queries (the language server's Analyzer: .sql files and SQL embedded in host code).
 */
import type { SqlperfSettings } from '../../server/engine/settings';
import { scanFiles } from '../slow/workspace';
import type { WorkloadQuery } from './types';
import { buildWorkload } from './workload';

export async function workloadOfFiles(files: readonly string[], settings?: SqlperfSettings): Promise<{ queries: WorkloadQuery[]; problems: string[] }> {
  const scan = await scanFiles(files, settings);
  const queries = buildWorkload(
    scan.statements.map((s) => ({ text: s.text, location: { file: s.file, line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn } })),
  );
  return { queries, problems: scan.problems };
}
