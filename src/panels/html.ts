/**
 * HTML for the plan panel: the webview shell (strict CSP, nonce, the bundled script and
 * stylesheet from dist/media) and the self-contained export (the same script and styles
 * inlined, the plan as a JSON data block, the theme's colours frozen). Pure string
 * building, no `vscode`: unit-tested.
 */
import { randomBytes } from 'node:crypto';
import { EXPORT_DATA_ID } from './protocol';

/** 128 random bits, base64: a new one for every HTML document. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The webview's Content-Security-Policy: nothing but our nonce'd script and our stylesheet. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `img-src ${cspSource} data:`, `font-src ${cspSource}`].join('; ');
}

export interface PanelHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri(dist/media/plan.js) */
  scriptUri: string;
  /** webview.asWebviewUri(dist/media/plan.css) */
  styleUri: string;
  title?: string;
}

export function buildPanelHtml(o: PanelHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${text(o.title ?? 'SQL Perf: Plan')}</title>
</head>
<body>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}

export interface ExportHtmlOptions {
  nonce: string;
  /** dist/media/plan.js */
  script: string;
  /** dist/media/plan.css */
  css: string;
  /** what the panel shows: `{ content, ui }` as the webview keeps it */
  data: unknown;
  /** the --vscode-* variables in force when exporting */
  themeVars: Record<string, string>;
  /** body class: vscode-light, vscode-dark, ... */
  themeKind: string;
  title: string;
}

/** Theme kinds VS Code puts on <body>. */
const THEME_KINDS = new Set(['vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light']);

/**
 * A standalone HTML file: opens in any browser, no network. Same CSP discipline: scripts
 * and styles only by nonce, nothing else loads.
 */
export function buildExportHtml(o: ExportHtmlOptions): string {
  const csp = [`default-src 'none'`, `script-src 'nonce-${o.nonce}'`, `style-src 'nonce-${o.nonce}'`, `img-src data:`].join('; ');
  const kind = THEME_KINDS.has(o.themeKind) ? o.themeKind : 'vscode-light';
  const vars = themeCss(o.themeVars, kind);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(o.title)}</title>
<style nonce="${attr(o.nonce)}">
${vars}
${styleText(o.css)}
</style>
</head>
<body class="${kind}">
<script type="application/json" id="${EXPORT_DATA_ID}">${jsonForScript(o.data)}</script>
<script nonce="${attr(o.nonce)}">${scriptText(o.script)}</script>
</body>
</html>
`;
}

/** Fallback colours for an export made without theme variables (e.g. from the CLI). */
const FALLBACK: Record<string, Record<string, string>> = {
  light: {
    '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
    '--vscode-panel-border': '#e5e5e5', '--vscode-focusBorder': '#005fb8', '--vscode-textLink-foreground': '#005fb8',
    '--vscode-charts-red': '#e51400', '--vscode-charts-orange': '#d18616', '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-green': '#388a34', '--vscode-charts-blue': '#1a85ff', '--vscode-badge-background': '#cccccc',
    '--vscode-badge-foreground': '#3b3b3b', '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff',
    '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-list-activeSelectionBackground': '#e8e8e8',
    '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-editor-font-family': 'monospace',
  },
  dark: {
    '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-panel-border': '#2b2b2b', '--vscode-focusBorder': '#0078d4', '--vscode-textLink-foreground': '#4daafc',
    '--vscode-charts-red': '#f14c4c', '--vscode-charts-orange': '#d18616', '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-green': '#89d185', '--vscode-charts-blue': '#3794ff', '--vscode-badge-background': '#616161',
    '--vscode-badge-foreground': '#f8f8f8', '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff',
    '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e',
    '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-editor-font-family': 'monospace',
  },
};

/** `:root { --vscode-x: v; }` from the given variables, dropping anything that is not a plain value. */
export function themeCss(vars: Record<string, string>, kind: string): string {
  const base = kind.includes('dark') || kind === 'vscode-high-contrast' ? FALLBACK.dark : FALLBACK.light;
  const merged: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(vars)) {
    if (/^--vscode-[A-Za-z0-9-]+$/.test(k) && isPlainCssValue(v)) merged[k] = v;
  }
  return `:root {\n${Object.entries(merged).map(([k, v]) => `  ${k}: ${v};`).join('\n')}\n}`;
}

/** A value that cannot end the declaration, the rule or the <style> element. */
export function isPlainCssValue(v: string): boolean {
  return v.length > 0 && v.length < 500 && !/[<>{};\\]|\/\*|@import|url\s*\(/i.test(v);
}

/** JSON inside <script type="application/json">: no `<` survives, so neither `</script>` nor `<!--` can appear. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The bundle inlined in <script>: `</script` and `<!--` must not appear literally. */
export function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export function styleText(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
