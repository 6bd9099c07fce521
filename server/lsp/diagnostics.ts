/**
 * Engine findings -> LSP diagnostics. Everything a code action needs later travels in
 * `data`, already converted to LSP ranges, so the code action handler does not depend on
 * the document still being at the version the diagnostic was computed for.
 */
import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentAnalysis } from '../engine/analyze';
import type { Finding, Severity } from '../engine/types';
import { docsUrl } from './docs';

export const SOURCE = 'sqlperf';

/** Code of the single diagnostic that says a document was too large to analyze. */
export const FILE_TOO_LARGE = 'file-too-large';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  rule: string;
  fix?: { title: string; edits: TextEdit[] };
  /** a command offered as a code action (see Finding.command) */
  command?: { title: string; command: string; arguments: unknown[] };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  return !!value && typeof value === 'object' && typeof (value as DiagnosticData).rule === 'string';
}

export function toDiagnostics(doc: TextDocument, analysis: DocumentAnalysis, binary: boolean): Diagnostic[] {
  if (analysis.skipped) {
    // Binary content opened under a SQL/host language id is an accident, not something to
    // report on every keystroke; a large file deserves one note explaining the silence.
    if (binary) return [];
    return [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Information,
        source: SOURCE,
        code: FILE_TOO_LARGE,
        message: analysis.skipped,
      },
    ];
  }
  return analysis.findings.map((f) => toDiagnostic(doc, f));
}

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const href = docsUrl(f.rule);
  const data: DiagnosticData = { rule: f.rule };
  if (f.fix) {
    data.fix = {
      title: f.fix.title,
      edits: f.fix.edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })),
    };
  }
  const range = { start: doc.positionAt(f.start), end: doc.positionAt(f.end) };
  if (f.command) data.command = { title: f.command.title, command: f.command.command, arguments: locateArguments(f.command, doc.uri, range.start.line) };
  return {
    range,
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    source: SOURCE,
    code: f.rule,
    ...(href ? { codeDescription: { href } } : {}),
    message: f.message,
    data,
  };
}

/** The index advisor's reveal command learns where the finding is: `uri` and 0-based `line`. */
function locateArguments(command: NonNullable<Finding['command']>, uri: string, line: number): unknown[] {
  if (command.command !== 'sqlperf.advisor.revealSuggestion') return command.arguments;
  const [first, ...rest] = command.arguments;
  return [{ ...(first as Record<string, unknown>), uri, line }, ...rest];
}

/**
 * Whether two diagnostic lists say the same (same order). An edit that changes no finding
 * (whitespace, a comment, most keystrokes inside a statement) then keeps its result id, and
 * a client that sends it back gets "unchanged" instead of the whole list again: on a large
 * file that list is a megabyte of JSON per keystroke.
 */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!sameRange(x.range, y.range) || x.severity !== y.severity || x.code !== y.code || x.message !== y.message) return false;
    if (x.codeDescription?.href !== y.codeDescription?.href || !sameData(x.data, y.data)) return false;
  }
  return true;
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function sameData(a: unknown, b: unknown): boolean {
  if (!isDiagnosticData(a) || !isDiagnosticData(b)) return a === b;
  if (a.rule !== b.rule || !a.fix !== !b.fix || !a.command !== !b.command) return false;
  if (a.fix && b.fix) {
    if (a.fix.title !== b.fix.title || a.fix.edits.length !== b.fix.edits.length) return false;
    for (let i = 0; i < a.fix.edits.length; i++) {
      if (a.fix.edits[i].newText !== b.fix.edits[i].newText || !sameRange(a.fix.edits[i].range, b.fix.edits[i].range)) return false;
    }
  }
  // commands are few (one per unindexed filter) and small
  return !a.command || JSON.stringify(a.command) === JSON.stringify(b.command);
}
