/**
 * Human output: one `path:line:col: severity rule: message` line per finding, so terminals
 * and editors make them clickable; a blank line between files; a summary at the end.
 */
import type { CheckResult, LocatedFinding } from '../check';
import type { Severity } from '../../../server/engine/types';

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countFindings(findings: readonly LocatedFinding[]): Counts {
  const c: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') c.errors++;
    else if (f.severity === 'warning') c.warnings++;
    else c.infos++; // information and hint
  }
  return c;
}

/** `information` is the settings word; `info` reads better in a terminal. */
export function severityLabel(s: Severity): string {
  return s === 'information' ? 'info' : s;
}

const ANSI = {
  error: '\u001b[31m',
  warning: '\u001b[33m',
  info: '\u001b[36m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(result: CheckResult, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `${code}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  let previous: string | undefined;
  for (const f of result.findings) {
    if (previous !== undefined && f.file !== previous) out.push('');
    previous = f.file;
    const label = severityLabel(f.severity);
    const sevColor = f.severity === 'error' ? ANSI.error : f.severity === 'warning' ? ANSI.warning : ANSI.info;
    // Messages are one line in this format: a newline would break `path:line:col:` parsers.
    const message = f.message.replace(/\s*\r?\n\s*/g, ' ');
    out.push(`${paint(ANSI.bold, `${f.file}:${f.line}:${f.column}`)}: ${paint(sevColor, label)} ${paint(ANSI.dim, f.rule)}: ${message}`);
  }
  if (out.length > 0) out.push('');
  const c = countFindings(result.findings);
  const summary =
    `${plural(result.findings.length, 'problem')} (${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ` +
    `${plural(c.infos, 'info')}) in ${plural(result.checked, 'file')}`;
  out.push(c.errors > 0 ? paint(ANSI.error, summary) : summary);
  if (result.skipped.length > 0) {
    out.push(`${plural(result.skipped.length, 'file')} skipped:`);
    for (const s of result.skipped) out.push(`  ${s.file}: ${s.reason}`);
  }
  return `${out.join('\n')}\n`;
}
