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

/** Which suggestions the user dismissed (by candidate key). */
export interface DismissedView {
  has(key: string): boolean;
}

type Node =
  | { kind: 'message'; text: string; tooltip?: string }
  | { kind: 'table'; table: string; suggestions: Suggestion[] }
  | { kind: 'suggestion'; suggestion: Suggestion; dismissed?: boolean }
  | { kind: 'query'; location: QueryLocation; before: number; after: number; suggestion: Suggestion; queryId: number }
  | { kind: 'dismissed'; suggestions: Suggestion[] }
  | { kind: 'housekeeping'; findings: HousekeepingFinding[] }
  | { kind: 'finding'; finding: HousekeepingFinding }
  | { kind: 'notes'; notes: string[] };

const fmtBytes = (n: number | null) => (n == null ? 'size ?' : n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} kB` : `${(n / 1048576).toFixed(1)} MB`);
const tableOf = (s: Suggestion) => (s.candidate.schema === 'public' ? s.candidate.table : `${s.candidate.schema}.${s.candidate.table}`);

export class AdvisorTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private state: AdvisorState = { kind: 'idle' };

  constructor(private readonly dismissed: DismissedView = { has: () => false }) {}

  get current(): AdvisorState {
    return this.state;
  }

  setState(s: AdvisorState): void {
    this.state = s;
    this.changed.fire();
  }

  /** Redraw (after a dismiss or restore). */
  refreshView(): void {
    this.changed.fire();
  }

  /** The node of a suggestion, for TreeView.reveal (its parent comes from getParent). */
  nodeOf(suggestion: Suggestion): Node {
    return { kind: 'suggestion', suggestion, dismissed: this.dismissed.has(suggestion.candidate.key) };
  }

  getParent(node: Node): Node | undefined {
    if (node.kind !== 'suggestion' || this.state.kind !== 'report') return undefined;
    const sg = node.suggestion;
    if (this.dismissed.has(sg.candidate.key)) return { kind: 'dismissed', suggestions: this.state.report.suggestions.filter((x) => this.dismissed.has(x.candidate.key)) };
    const table = tableOf(sg);
    return { kind: 'table', table, suggestions: this.state.report.suggestions.filter((x) => tableOf(x) === table && !this.dismissed.has(x.candidate.key)) };
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
        return node.suggestion.queries.flatMap((qc) => (byId.get(qc.query)?.locations ?? []).map((location) => ({ kind: 'query' as const, location, before: qc.costBefore, after: qc.costAfter, suggestion: node.suggestion, queryId: qc.query })));
      }
      case 'dismissed':
        return node.suggestions.map((suggestion) => ({ kind: 'suggestion', suggestion, dismissed: true }));
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
    const hidden: Suggestion[] = [];
    for (const sg of s.report.suggestions) {
      if (this.dismissed.has(sg.candidate.key)) hidden.push(sg);
      else byTable.set(tableOf(sg), [...(byTable.get(tableOf(sg)) ?? []), sg]);
    }
    const out: Node[] = [...byTable].map(([table, suggestions]) => ({ kind: 'table', table, suggestions }));
    if (out.length === 0) out.push({ kind: 'message', text: hidden.length ? `Every suggestion is dismissed (${hidden.length}).` : `No index lowers a query's cost enough (${s.report.queries.length} queries on ${s.source}).` });
    if (hidden.length) out.push({ kind: 'dismissed', suggestions: hidden });
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
        item.id = `table:${node.table}`;
        item.description = `${node.suggestions.length} suggestion${node.suggestions.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('table');
        return item;
      }
      case 'suggestion': {
        const sg = node.suggestion;
        const cols = sg.candidate.keys.map((k) => k.column ?? k.expression).join(', ');
        const item = new vscode.TreeItem(`${sg.candidate.kind === 'btree' ? 'index' : sg.candidate.kind} (${cols})`, node.dismissed ? C.None : C.Collapsed);
        item.id = `${node.dismissed ? 'dismissed' : 'suggestion'}:${sg.candidate.key}`;
        const best = Math.max(0, ...sg.queries.map((q) => (q.costBefore > 0 ? 1 - q.costAfter / q.costBefore : 0)));
        item.description = `−${Math.round(best * 100)}% cost · ${fmtBytes(sg.estimatedSizeBytes)} · ${sg.verifiedBy}`;
        item.tooltip = new vscode.MarkdownString().appendCodeblock(sg.definition, 'sql');
        item.contextValue = node.dismissed ? 'sqlperf.advisor.dismissed' : 'sqlperf.advisor.suggestion';
        item.iconPath = new vscode.ThemeIcon(node.dismissed ? 'eye-closed' : 'lightbulb');
        if (node.dismissed) item.description = `${tableOf(sg)} · dismissed`;
        return item;
      }
      case 'query': {
        const l = node.location;
        const item = new vscode.TreeItem(`${vscode.workspace.asRelativePath(l.file)}:${l.line}`, C.None);
        item.description = `cost ${node.before.toFixed(1)} → ${node.after.toFixed(1)}`;
        item.command = { command: ADVISOR_OPEN_COMMAND, title: 'Open Query', arguments: [l.file, l.line, l.column] };
        item.contextValue = 'sqlperf.advisor.query';
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
      case 'dismissed': {
        const item = new vscode.TreeItem('Dismissed', C.Collapsed);
        item.id = 'dismissed';
        item.description = `${node.suggestions.length}`;
        item.tooltip = 'Suggestions you dismissed in this workspace: restore one from its context menu.';
        item.iconPath = new vscode.ThemeIcon('eye-closed');
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

/** The suggestion of a suggestion row or of one of its query rows. */
export function suggestionOf(node: unknown): Suggestion | undefined {
  const n = node as Node | undefined;
  return n && (n.kind === 'suggestion' || n.kind === 'query') ? n.suggestion : undefined;
}

/** The workload query id of a query row. */
export function queryIdOf(node: unknown): number | undefined {
  const n = node as Node | undefined;
  return n && n.kind === 'query' ? n.queryId : undefined;
}
