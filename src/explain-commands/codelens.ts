/**
 * "Explain" and "Explain Analyze" code lenses above each statement EXPLAIN can take, in
 * .sql files and above SQL embedded in host code. The host grammars (tree-sitter) load on
 * the first host file that asks, never at activation.
 */
import * as vscode from 'vscode';
import { extractEmbedded, isHostLanguage, loadExtractors } from '../../server/engine/extract';
import { hostStatements, isExplainable, sqlStatements } from './statement-at';
import { embeddedOptions, type ExplainArgs } from './explain';

export const LENS_LANGUAGES = ['sql', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'go'];

/** Files above this many characters get no lenses (they are for reading, not for a wall of links). */
const MAX_TEXT = 2_000_000;
const MAX_LENSES = 400;

export class ExplainLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly config: vscode.Disposable;

  constructor(
    private readonly explainCommand: string,
    private readonly analyzeCommand: string,
  ) {
    this.config = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sqlperf.embedded')) this.changed.fire();
    });
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const text = doc.getText();
    if (text.length > MAX_TEXT) return [];
    let statements;
    if (doc.languageId === 'sql') statements = sqlStatements(text);
    else if (isHostLanguage(doc.languageId)) {
      await loadExtractors();
      if (token.isCancellationRequested) return [];
      statements = hostStatements(extractEmbedded(text, doc.languageId, embeddedOptions(doc.uri)));
    } else return [];
    const lenses: vscode.CodeLens[] = [];
    for (const s of statements) {
      if (!isExplainable(s.sql)) continue;
      const at = doc.positionAt(s.start);
      const range = new vscode.Range(at, at);
      const args: ExplainArgs = { uri: doc.uri.toString(), offset: s.start };
      lenses.push(
        new vscode.CodeLens(range, { title: 'Explain', command: this.explainCommand, arguments: [args], tooltip: 'Show the plan of this statement (EXPLAIN: not executed)' }),
        new vscode.CodeLens(range, { title: 'Explain Analyze', command: this.analyzeCommand, arguments: [args], tooltip: 'Run the statement in a rolled-back transaction and show the plan with actual times' }),
      );
      if (lenses.length >= MAX_LENSES) break;
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
    this.config.dispose();
  }
}
