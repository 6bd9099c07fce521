/**
 * The latest analysis of each open document. Pull diagnostics, push diagnostics, hover and
 * code actions all read it, so a document version is analyzed once however many requests
 * ask about it.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { looksBinary, type DocumentAnalysis } from '../engine/analyze';
import type { Schema } from '../engine/schema/model';
import type { AnalyzerPool } from './analyzers';
import { sameDiagnostics, toDiagnostics } from './diagnostics';
import { isSupportedLanguage } from './languages';
import type { SettingsStore } from './settings';

export interface DocumentResult {
  uri: string;
  version: number;
  languageId: string;
  /** the settings (and schema version) the document was analyzed with */
  key: string;
  /** identifies the diagnostics: equal ids mean equal diagnostics (also across versions) */
  resultId: string;
  analysis: DocumentAnalysis;
  diagnostics: Diagnostic[];
}

const EMPTY: DocumentAnalysis = { findings: [], statements: [] };

export class DocumentResults {
  private readonly latest = new Map<string, DocumentResult>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly analyzers: AnalyzerPool,
    /** false for host languages when the grammars failed to load */
    private readonly languageEnabled: (languageId: string) => boolean = () => true,
    /** the workspace schema for schema-aware rules (its version is part of the result id) */
    private readonly schema: () => Schema | undefined = () => undefined,
  ) {}

  async analyze(doc: TextDocument): Promise<DocumentResult> {
    if (!isSupportedLanguage(doc.languageId) || !this.languageEnabled(doc.languageId)) return this.store(doc, 'unsupported', EMPTY, []);
    const settings = await this.settings.forDocument(doc.uri);
    // Read the text only after the await: the document may have changed meanwhile, and
    // the newest text is the one worth reporting on.
    const { analyzer, key: settingsKey } = this.analyzers.get(settings);
    const schema = this.schema();
    const key = schema ? `${settingsKey}\u0000schema:${schema.version}` : settingsKey;
    const prev = this.latest.get(doc.uri);
    if (prev && prev.version === doc.version && prev.key === key && prev.languageId === doc.languageId) return prev;
    const text = doc.getText();
    analyzer.setSchema(schema);
    const analysis = analyzer.analyze(text, doc.languageId, doc.uri);
    const binary = !!analysis.skipped && looksBinary(text);
    return this.store(doc, key, analysis, toDiagnostics(doc, analysis, binary));
  }

  /** The stored result if it is still for the document's current version. */
  current(doc: TextDocument): DocumentResult | undefined {
    const r = this.latest.get(doc.uri);
    return r && r.version === doc.version && r.languageId === doc.languageId ? r : undefined;
  }

  forget(uri: string): void {
    this.latest.delete(uri);
  }

  clear(): void {
    this.latest.clear();
  }

  private store(doc: TextDocument, key: string, analysis: DocumentAnalysis, diagnostics: Diagnostic[]): DocumentResult {
    const prev = this.latest.get(doc.uri);
    const same = prev !== undefined && prev.key === key && prev.languageId === doc.languageId && sameDiagnostics(prev.diagnostics, diagnostics);
    const result: DocumentResult = {
      uri: doc.uri,
      version: doc.version,
      languageId: doc.languageId,
      key,
      resultId: same ? prev.resultId : nextResultId(),
      analysis,
      // the previous list when equal: what the client holds is exactly what was sent
      diagnostics: same ? prev.diagnostics : diagnostics,
    };
    this.latest.set(doc.uri, result);
    return result;
  }
}

/** Per process: a restarted (perhaps upgraded) server must not confirm an old result. */
const BOOT = Date.now().toString(36);
let results = 0;

function nextResultId(): string {
  return `${BOOT}:${++results}`;
}
