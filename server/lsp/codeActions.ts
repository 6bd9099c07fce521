/**
 * Quick fixes for sqlperf diagnostics: the rule's own fix when it has one, and suppression
 * comments for the line or the whole file.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ignoreComment } from '../engine/suppress';
import { FILE_TOO_LARGE, SOURCE, isDiagnosticData, type DiagnosticData } from './diagnostics';
import type { DocumentResult } from './results';

export function codeActions(doc: TextDocument, result: DocumentResult | undefined, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  const actions: CodeAction[] = [];
  const fileWideDone = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string' || diagnostic.code === FILE_TOO_LARGE) continue;
    const data = dataOf(diagnostic, result);
    const rule = data?.rule ?? diagnostic.code;
    if (data?.fix) {
      actions.push({
        title: data.fix.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: [diagnostic],
        edit: { changes: { [doc.uri]: data.fix.edits } },
      });
    }
    if (data?.command) {
      actions.push({ title: data.command.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: data.command });
    }
    actions.push({
      title: `Ignore ${rule} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [doc.uri]: [ignoreLineEdit(doc, result, diagnostic, rule)] } },
    });
    if (!fileWideDone.has(rule)) {
      fileWideDone.add(rule);
      actions.push({
        title: `Ignore ${rule} in this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [doc.uri]: [ignoreFileEdit(doc, rule)] } },
      });
    }
  }
  return actions;
}

/**
 * Clients that do not round-trip `data` still send the range and code: find the finding
 * they refer to in the current analysis.
 */
function dataOf(diagnostic: Diagnostic, result: DocumentResult | undefined): DiagnosticData | undefined {
  if (isDiagnosticData(diagnostic.data)) return diagnostic.data;
  const match = result?.diagnostics.find(
    (d) => d.code === diagnostic.code && sameRange(d.range, diagnostic.range),
  );
  return match && isDiagnosticData(match.data) ? match.data : undefined;
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

const LINE_DIRECTIVE = /^(\s*)(?:--|\/\/|#)\s*sqlperf-ignore\s+[\w*-]+(?:\s*,\s*[\w*-]+)*/;
const FILE_DIRECTIVE = /^(\s*)(?:--|\/\/|#)\s*sqlperf-ignore-file\s+[\w*-]+(?:\s*,\s*[\w*-]+)*/;

function ignoreLineEdit(doc: TextDocument, result: DocumentResult | undefined, diagnostic: Diagnostic, rule: string): TextEdit {
  const line = diagnostic.range.start.line;
  // A directive already on the line above: add the rule to it rather than stack comments.
  if (line > 0) {
    const above = lineText(doc, line - 1);
    const m = LINE_DIRECTIVE.exec(above);
    if (m) return { range: at(line - 1, m[0].length), newText: `, ${rule}` };
  }
  const indent = /^\s*/.exec(lineText(doc, line))![0];
  const lang = insideEmbeddedString(doc, result, line, diagnostic) ? 'sql' : doc.languageId;
  return { range: at(line, 0), newText: `${indent}${ignoreComment(lang, rule)}${eol(doc)}` };
}

function ignoreFileEdit(doc: TextDocument, rule: string): TextEdit {
  // A shebang must stay the first line.
  const line = lineText(doc, 0).startsWith('#!') ? 1 : 0;
  const m = FILE_DIRECTIVE.exec(lineText(doc, line));
  if (m) return { range: at(line, m[0].length), newText: `, ${rule}` };
  return { range: at(line, 0), newText: `${ignoreComment(doc.languageId, rule, true)}${eol(doc)}` };
}

/**
 * Whether the start of `line` lies inside the string literal holding the embedded
 * statement (a multi-line template or triple-quoted string). There a host-language comment
 * would become part of the SQL, so the suppression must be a SQL comment instead. The
 * literal's opening quote is taken to be the last non-blank character before the
 * statement's first token (a leading SQL comment inside the string gives the same answer).
 */
function insideEmbeddedString(doc: TextDocument, result: DocumentResult | undefined, line: number, diagnostic: Diagnostic): boolean {
  if (doc.languageId === 'sql' || !result) return false;
  const offset = doc.offsetAt(diagnostic.range.start);
  const stmt = result.analysis.statements.find((s) => s.host && s.start <= offset && offset <= s.end);
  if (!stmt) return false;
  const text = doc.getText();
  let q = stmt.start - 1;
  while (q >= 0 && /\s/.test(text[q])) q--;
  return doc.offsetAt({ line, character: 0 }) > q;
}

function lineText(doc: TextDocument, line: number): string {
  if (line >= doc.lineCount) return '';
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}

function at(line: number, character: number): TextEdit['range'] {
  return { start: { line, character }, end: { line, character } };
}

function eol(doc: TextDocument): string {
  return doc.getText().includes('\r\n') ? '\r\n' : '\n';
}
