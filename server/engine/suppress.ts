/**
 * Suppression comments, in any comment syntax the file uses (`--`, `//`, `#`):
 *   sqlperf-ignore <rule-id>[, <rule-id>...]       the next line (or this line, when trailing)
 *   sqlperf-ignore-file <rule-id>[, <rule-id>...]  the whole file
 * `*` as the id matches every rule.
 */
import { LineMap } from './parse/positions';
import type { Finding } from './types';

const DIRECTIVE = /(?:--|\/\/|#|\/\*)\s*sqlperf-ignore(-file)?\s+([\w*-]+(?:\s*,\s*[\w*-]+)*)/g;

export function suppressedBy(text: string, findings: Finding[]): Finding[] {
  if (findings.length === 0 || !text.includes('sqlperf-ignore')) return findings;
  const lines = new LineMap(text);
  const fileWide = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  for (const m of text.matchAll(DIRECTIVE)) {
    const ids = m[2].split(',').map((s) => s.trim());
    if (m[1]) {
      ids.forEach((id) => fileWide.add(id));
      continue;
    }
    const line = lines.positionAt(m.index!).line;
    const lineStart = lines.lineStart(line);
    const trailing = text.slice(lineStart, m.index).trim() !== '';
    const target = trailing ? line : line + 1;
    const set = byLine.get(target) ?? new Set<string>();
    ids.forEach((id) => set.add(id));
    byLine.set(target, set);
  }
  const hit = (ids: Set<string> | undefined, rule: string) => !!ids && (ids.has(rule) || ids.has('*'));
  return findings.filter((f) => !hit(fileWide, f.rule) && !hit(byLine.get(lines.positionAt(f.start).line), f.rule));
}

/** The text of a comment that suppresses `rule` on the line before `line`, for a quick fix. */
export function ignoreComment(languageId: string, rule: string, fileWide = false): string {
  const lead = languageId === 'python' ? '#' : languageId === 'sql' ? '--' : '//';
  return `${lead} sqlperf-ignore${fileWide ? '-file' : ''} ${rule}`;
}
