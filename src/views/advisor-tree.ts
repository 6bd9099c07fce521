/**
 * The "Index Advisor" tree: suggestions grouped by table, each expandable to the queries
 * it speeds up (click opens the query), then housekeeping findings. Plain data in
 * (an AdviceReport), tree items out; no database code here.
 */
import * as vscode from 'vscode';
import type { AdviceReport, HousekeepingFinding, QueryLocation, Suggestion } from '../advisor/types';

export const ADVISOR_VIEW_ID = 'sqlperf.indexAdvisor';
export const ADVISOR_OPEN_COMMAND = 'sqlperf.advisor.openQuery';

export type AdvisorState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'report'; report: AdviceReport; source: string };

type Node =
  | { kind: 'message'; text: string; tooltip?: string }
  | { kind: 'table'; table: string; suggestions: Suggestion[] }
  | { kind: 'suggestion'; suggestion: Suggestion }
  | { kind: 'query'; location: QueryLocation; before: number; after: number }
  | { kind: 'housekeeping'; findings: HousekeepingFinding[] }
  | { kind: 'finding'; finding: HousekeepingFinding }
  | { kind: 'notes'; notes: string[] };

const fmtBytes = (n: number | null) => (n == null ? 'size ?' : n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} kB` : `${(n / 1048576).toFixed(1)} MB`);
const tableOf = (s: Suggestion) => (s.candidate.schema === 'public' ? s.candidate.table : `${s.candidate.schema}.${s.candidate.table}`);

export class AdvisorTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private state: AdvisorState = { kind: 'idle' };

  setState(s: AdvisorState): void {
    this.state = s;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'table':
        return node.suggestions.map((suggestion) => ({ kind: 'suggestion', suggestion }));
      case 'suggestion': {
        const r = this.state.kind === 'report' ? this.state.report : undefined;
        const byId = new Map(r?.queries.map((q) => [q.id, q]) ?? []);
        return node.suggestion.queries.flatMap((qc) => (byId.get(qc.query)?.locations ?? []).map((location) => ({ kind: 'query' as const, location, before: qc.costBefore, after: qc.costAfter })));
      }
      case 'housekeeping':
        return node.findings.map((finding) => ({ kind: 'finding', finding }));
      case 'notes':
        return node.notes.map((text) => ({ kind: 'message', text }));
      default:
        return [];
    }
  }

  private roots(): Node[] {
    const s = this.state;
    if (s.kind === 'idle') return [{ kind: 'message', text: 'Refresh to check the workspace queries for missing indexes.' }];
    if (s.kind === 'loading') return [{ kind: 'message', text: 'Evaluating index candidates…' }];
    if (s.kind === 'error') return [{ kind: 'message', text: s.message, tooltip: s.message }];
    const byTable = new Map<string, Suggestion[]>();
    for (const sg of s.report.suggestions) byTable.set(tableOf(sg), [...(byTable.get(tableOf(sg)) ?? []), sg]);
    const out: Node[] = [...byTable].map(([table, suggestions]) => ({ kind: 'table', table, suggestions }));
    if (out.length === 0) out.push({ kind: 'message', text: `No index lowers a query's cost enough (${s.report.queries.length} queries on ${s.source}).` });
    if (s.report.housekeeping.length) out.push({ kind: 'housekeeping', findings: s.report.housekeeping });
    if (s.report.notes.length) out.push({ kind: 'notes', notes: s.report.notes });
    return out;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.text, C.None);
        item.tooltip = node.tooltip ?? node.text;
        return item;
      }
      case 'table': {
        const item = new vscode.TreeItem(node.table, C.Expanded);
        item.description = `${node.suggestions.length} suggestion${node.suggestions.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('table');
        return item;
      }
      case 'suggestion': {
        const sg = node.suggestion;
        const cols = sg.candidate.keys.map((k) => k.column ?? k.expression).join(', ');
        const item = new vscode.TreeItem(`${sg.candidate.kind === 'btree' ? 'index' : sg.candidate.kind} (${cols})`, C.Collapsed);
        const best = Math.max(0, ...sg.queries.map((q) => (q.costBefore > 0 ? 1 - q.costAfter / q.costBefore : 0)));
        item.description = `−${Math.round(best * 100)}% cost · ${fmtBytes(sg.estimatedSizeBytes)} · ${sg.verifiedBy}`;
        item.tooltip = new vscode.MarkdownString().appendCodeblock(sg.definition, 'sql');
        item.contextValue = 'sqlperf.advisor.suggestion';
        item.iconPath = new vscode.ThemeIcon('lightbulb');
        return item;
      }
      case 'query': {
        const l = node.location;
        const item = new vscode.TreeItem(`${vscode.workspace.asRelativePath(l.file)}:${l.line}`, C.None);
        item.description = `cost ${node.before.toFixed(1)} → ${node.after.toFixed(1)}`;
        item.command = { command: ADVISOR_OPEN_COMMAND, title: 'Open Query', arguments: [l.file, l.line, l.column] };
        item.iconPath = new vscode.ThemeIcon('go-to-file');
        return item;
      }
      case 'housekeeping': {
        const item = new vscode.TreeItem('Housekeeping', C.Expanded);
        item.description = `${node.findings.length} finding${node.findings.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('tools');
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(`${f.kind}: ${f.index ?? f.table}`, C.None);
        item.description = f.index ? f.table : undefined;
        item.tooltip = f.detail;
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
      case 'notes': {
        const item = new vscode.TreeItem('Notes', C.Collapsed);
        item.description = `${node.notes.length}`;
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }
}

export function suggestionOf(node: unknown): Suggestion | undefined {
  const n = node as Node | undefined;
  return n && n.kind === 'suggestion' ? n.suggestion : undefined;
}
