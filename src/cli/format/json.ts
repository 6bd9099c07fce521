/**
 * Machine output: a flat array, sorted by file, line, column (the order check produces).
 * Keys in a fixed order so diffs of two runs are readable.
 */
import type { LocatedFinding } from '../check';

export function formatJson(findings: readonly LocatedFinding[]): string {
  const rows = findings.map((f) => ({
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}
