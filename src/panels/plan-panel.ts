/**
 * The plan panel's host side: one WebviewPanel, reused; strict CSP with a fresh nonce per
 * document; script and styles from dist/media only. State lives in the webview (setState),
 * so a hidden panel is torn down (retainContextWhenHidden off) and restores itself; the
 * host keeps the current content to answer `ready`. Clicking a node highlights its SQL in
 * the editor; moving the cursor in that SQL highlights the node.
 */
import * as vscode from 'vscode';
import { diffPlans } from '../explain';
import { buildExportHtml, buildPanelHtml, makeNonce } from './html';
import { parseWebviewMessage, PLAN_VIEW_TYPE, type ContentMessage, type HostToWebview, type PlanPayload, type WebviewToHost } from './protocol';
import { nodeAtOffset, type SourceMap, type SqlRange } from './source-map';

/** Where a plan's statement sits in a document, for node <-> SQL highlighting. */
export interface SourceLink {
  planId: string;
  uri: vscode.Uri;
  /** document version and text when the plan was made */
  version: number;
  snapshot: string;
  /** document range of the statement at that time */
  start: number;
  end: number;
  toDocument(o: number): number;
  toDocumentEnd(o: number): number;
  fromDocument(offset: number): number;
  map: SourceMap;
}

export interface PlanPanelHost {
  /** runs an extension command for a panel button */
  runCommand(command: 'comparePlans' | 'openPlanFile'): void;
  log: vscode.LogOutputChannel;
}

export const PANEL_ACTIVE_CONTEXT = 'sqlperf.planPanelActive';

export class PlanPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private content: ContentMessage | null = null;
  private link: SourceLink | null = null;
  private readonly decoration: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  private lastHighlight: string | null = null;
  /** selections we set ourselves, so the cursor listener does not echo them back */
  private ownSelection: string | null = null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: PlanPanelHost,
  ) {
    this.decoration = vscode.window.createTextEditorDecorationType({
      backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
      borderColor: new vscode.ThemeColor('editor.findMatchHighlightBorder'),
      borderStyle: 'solid',
      borderWidth: '1px',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Center,
    });
    this.disposables.push(
      this.decoration,
      vscode.window.onDidChangeTextEditorSelection((e) => this.onEditorSelection(e)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.link && d.uri.toString() === this.link.uri.toString()) this.clearDecorations();
      }),
    );
  }

  get mediaRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'media');
  }

  get current(): ContentMessage | null {
    return this.content;
  }

  /** Shows content in the panel (creating or revealing it without taking the focus). */
  show(content: ContentMessage, link: SourceLink | null = null): void {
    this.content = content;
    this.link = link;
    this.lastHighlight = null;
    this.clearDecorations();
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(PLAN_VIEW_TYPE, 'SQL Perf: Plan', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.adopt(panel);
    } else this.panel.reveal(undefined, true);
    this.panel!.title = titleOf(content);
    void this.post(content);
  }

  /** Takes over a panel restored by VS Code after a reload (its webview restores its own state). */
  adopt(panel: vscode.WebviewPanel, restored?: ContentMessage | null): void {
    this.panel = panel;
    if (restored) this.content = restored;
    panel.webview.options = this.webviewOptions();
    panel.iconPath = undefined;
    panel.webview.html = this.html(panel.webview);
    const subs: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState((e) => void vscode.commands.executeCommand('setContext', PANEL_ACTIVE_CONTEXT, e.webviewPanel.active)),
      panel.onDidDispose(() => {
        for (const s of subs) s.dispose();
        this.panel = undefined;
        this.clearDecorations();
        void vscode.commands.executeCommand('setContext', PANEL_ACTIVE_CONTEXT, false);
      }),
    ];
  }

  /** Asks the webview for what an export needs (its theme); it answers with an `export` message. */
  requestExport(): void {
    if (!this.panel || !this.content) {
      void vscode.window.showInformationMessage('SQL Perf: there is no plan to export. Explain a query first.');
      return;
    }
    void this.post({ type: 'requestExport' });
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [this.mediaRoot], retainContextWhenHidden: false, enableFindWidget: true };
  }

  private html(webview: vscode.Webview): string {
    return buildPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'plan.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'plan.css')).toString(),
    });
  }

  private post(m: HostToWebview): Thenable<boolean> {
    return this.panel ? this.panel.webview.postMessage(m) : Promise.resolve(false);
  }

  private onMessage(raw: unknown): void {
    const m: WebviewToHost | null = parseWebviewMessage(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready':
        if (this.content) void this.post(this.content);
        break;
      case 'selectNode':
        void this.revealNode(m.planId, m.nodeId);
        break;
      case 'export':
        void this.exportHtml(m.themeVars, m.themeKind);
        break;
      case 'command':
        this.host.runCommand(m.command);
        break;
      case 'error':
        this.host.log.warn(`plan panel: ${m.message}`);
        break;
    }
  }

  // ---- node -> SQL ----

  private async revealNode(planId: string, nodeId: number): Promise<void> {
    const link = this.link;
    if (!link || link.planId !== planId) return;
    const src = link.map[nodeId];
    if (!src) return;
    const doc = await vscode.workspace.openTextDocument(link.uri);
    const delta = this.shift(doc, link);
    if (delta === null) {
      void vscode.window.showInformationMessage('SQL Perf: the statement changed since it was explained; explain it again to link the plan to the SQL.');
      return;
    }
    const toRange = (r: SqlRange) => new vscode.Range(doc.positionAt(link.toDocument(r.start) + delta), doc.positionAt(link.toDocumentEnd(r.end) + delta));
    const primary = toRange(src.primary);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === link.uri.toString());
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: true, preview: false });
    this.ownSelection = `${primary.start.line}:${primary.start.character}:${primary.end.line}:${primary.end.character}`;
    editor.selection = new vscode.Selection(primary.start, primary.end);
    editor.revealRange(primary, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    editor.setDecorations(this.decoration, [primary, ...src.extra.map(toRange)]);
  }

  /** How far the statement moved since the plan was made; null when its text changed. */
  private shift(doc: vscode.TextDocument, link: SourceLink): number | null {
    if (doc.version === link.version) return 0;
    const text = doc.getText();
    const was = link.snapshot.slice(link.start, link.end);
    if (text.slice(link.start, link.end) === was) return 0;
    let best: number | null = null;
    for (let i = text.indexOf(was); i >= 0; i = text.indexOf(was, i + 1)) {
      const d = i - link.start;
      if (best === null || Math.abs(d) < Math.abs(best)) best = d;
    }
    return best;
  }

  private clearDecorations(): void {
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.decoration, []);
  }

  // ---- SQL -> node ----

  private onEditorSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const link = this.link;
    if (!this.panel || !this.panel.visible || !link || e.textEditor.document.uri.toString() !== link.uri.toString()) return;
    const sel = e.selections[0];
    const key = `${sel.start.line}:${sel.start.character}:${sel.end.line}:${sel.end.character}`;
    if (key === this.ownSelection) return;
    this.ownSelection = null;
    const delta = this.shift(e.textEditor.document, link);
    if (delta === null) return;
    const offset = e.textEditor.document.offsetAt(sel.active) - delta;
    const sqlOffset = link.fromDocument(offset);
    if (sqlOffset < 0) return;
    const node = nodeAtOffset(link.map, sqlOffset);
    const tag = `${link.planId}:${node}`;
    if (node === null || tag === this.lastHighlight) return;
    this.lastHighlight = tag;
    this.clearDecorations();
    void this.post({ type: 'highlightNode', planId: link.planId, nodeId: node });
  }

  // ---- export ----

  private async exportHtml(themeVars: Record<string, string>, themeKind: string): Promise<void> {
    const content = this.content;
    if (!content) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `plan-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.html`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { HTML: ['html'] },
      title: 'Export the plan as HTML',
    });
    if (!target) return;
    const read = async (f: string) => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.mediaRoot, f)));
    const html = buildExportHtml({
      nonce: makeNonce(),
      script: await read('plan.js'),
      css: await read('plan.css'),
      data: { content },
      themeVars,
      themeKind,
      title: titleOf(content),
    });
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(html));
    const open = await vscode.window.showInformationMessage(`SQL Perf: plan exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open in Browser');
    if (open) void vscode.env.openExternal(target);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export function titleOf(c: ContentMessage): string {
  return c.type === 'show' ? `Plan: ${c.plan.title}` : 'Plan: compare';
}

/** A compare message for two payloads (diff computed here). */
export function compareMessage(before: PlanPayload, after: PlanPayload): ContentMessage {
  return { type: 'compare', before, after, diff: diffPlans(before.model, after.model) };
}
