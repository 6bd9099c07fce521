/**
 * The "Slow Queries" tree: one item per statement shape (heaviest first, in the chosen
 * order), its source locations as children (click to open), or "not found in the
 * workspace"; when pg_stat_statements cannot be read, the explanation and its steps.
 */
import * as vscode from 'vscode';
import type { SlowEntry, WorkspaceStatement } from '../slow/types';
import { formatCount, formatMs, lensTitle } from '../slow/format';

export const SLOW_VIEW_ID = 'sqlperf.slowQueries';
export const OPEN_LOCATION_COMMAND = 'sqlperf.slowQueries.openLocation';

export type SlowViewState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'entries'; entries: SlowEntry[]; source: string; hidden: number }
  | { kind: 'message'; message: string; steps: string[] };

type Node =
  | { kind: 'entry'; entry: SlowEntry }
  | { kind: 'location'; location: WorkspaceStatement }
  | { kind: 'note'; text: string; tooltip?: string; icon?: string; command?: vscode.Command };

export class SlowTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private state: SlowViewState = { kind: 'idle' };

  setState(state: SlowViewState): void {
    this.state = state;
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots();
    if (node.kind !== 'entry') return [];
    if (node.entry.locations.length === 0) return [{ kind: 'note', text: 'not found in the workspace', icon: 'question' }];
    return node.entry.locations.map((location) => ({ kind: 'location', location }));
  }

  private roots(): Node[] {
    const s = this.state;
    switch (s.kind) {
      case 'idle':
        return [{ kind: 'note', text: 'Refresh to read pg_stat_statements', icon: 'refresh', command: { title: 'Refresh', command: 'sqlperf.slowQueries.refresh' } }];
      case 'loading':
        return [{ kind: 'note', text: 'Reading pg_stat_statements…', icon: 'loading~spin' }];
      case 'message':
        return [
          { kind: 'note', text: s.message, tooltip: s.message, icon: 'warning' },
          ...s.steps.map((step, i): Node => ({ kind: 'note', text: `${i + 1}. ${step}`, tooltip: step, icon: 'arrow-small-right' })),
        ];
      case 'entries': {
        const nodes: Node[] = s.entries.map((entry) => ({ kind: 'entry', entry }));
        if (s.hidden > 0) nodes.push({ kind: 'note', text: `${s.hidden} statements of other users hidden: GRANT pg_read_all_stats`, icon: 'eye-closed' });
        if (nodes.length === 0) nodes.push({ kind: 'note', text: `pg_stat_statements has no statements for ${s.source} yet`, icon: 'info' });
        return nodes;
      }
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'entry') {
      const e = node.entry;
      const oneLine = e.query.replace(/\s+/g, ' ').trim();
      const item = new vscode.TreeItem(oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine, vscode.TreeItemCollapsibleState.Expanded);
      item.description = lensTitle(e);
      const md = new vscode.MarkdownString();
      md.appendCodeblock(e.query, 'sql');
      md.appendMarkdown(
        `\n${formatCount(e.calls)} calls · total ${formatMs(e.totalTimeMs)} · mean ${formatMs(e.meanTimeMs)} · ${formatCount(e.rows)} rows · ${formatCount(e.sharedBlksRead)} shared blocks read, ${formatCount(e.sharedBlksHit)} hit`,
      );
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon(e.locations.length ? 'database' : 'question');
      item.contextValue = e.locations.length ? 'sqlperf.slowEntry.matched' : 'sqlperf.slowEntry';
      return item;
    }
    if (node.kind === 'location') {
      const l = node.location;
      const rel = vscode.workspace.asRelativePath(l.file);
      const item = new vscode.TreeItem(`${rel}:${l.line}`, vscode.TreeItemCollapsibleState.None);
      item.description = l.language;
      item.iconPath = new vscode.ThemeIcon('go-to-file');
      item.command = { title: 'Open', command: OPEN_LOCATION_COMMAND, arguments: [l.file, l.line, l.column] };
      item.contextValue = 'sqlperf.slowLocation';
      return item;
    }
    const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    if (node.tooltip) item.tooltip = node.tooltip;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.command) item.command = node.command;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
