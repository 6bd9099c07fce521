/**
 * Hover on a finding: why the rule exists (its description), the finding's own detail
 * (e.g. the complexity breakdown) and the docs link. The diagnostic's message is shown by
 * the editor already, so it is not repeated.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleById } from '../engine/rules';
import { SYNTAX_ERROR, type Finding } from '../engine/types';
import { docsUrl } from './docs';
import type { DocumentResult } from './results';

const SYNTAX_ERROR_TEXT =
  'The parser of the configured dialect (`sqlperf.dialect`) rejects this statement, so no rule can check it. The other statements in the file are still analyzed.';

export function hoverAt(doc: TextDocument, result: DocumentResult, position: Position): Hover | null {
  const offset = doc.offsetAt(position);
  const hits = result.analysis.findings.filter((f) => covers(f, offset));
  if (hits.length === 0) return null;
  // Several rules can flag the same spot; one section per rule, each said once.
  const seen = new Set<string>();
  const sections: string[] = [];
  for (const f of hits) {
    const key = `${f.rule}\u0000${f.detail ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sections.push(section(f));
  }
  const first = hits[0];
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    range: { start: doc.positionAt(first.start), end: doc.positionAt(first.end) },
  };
}

function covers(f: Finding, offset: number): boolean {
  // Half-open like the editor's ranges, but an empty range still has a spot to hover.
  return f.start === f.end ? offset === f.start : offset >= f.start && offset < f.end;
}

function section(f: Finding): string {
  const parts = [`**sqlperf** \`${f.rule}\``];
  const description = f.rule === SYNTAX_ERROR ? SYNTAX_ERROR_TEXT : ruleById(f.rule)?.meta.description;
  if (description) parts.push(description);
  if (f.detail) parts.push(f.detail);
  const url = docsUrl(f.rule);
  if (url) parts.push(`[Documentation for \`${f.rule}\`](${url})`);
  return parts.join('\n\n');
}
