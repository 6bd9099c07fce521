/**
 * The plan panel's messages: the one file both sides import (src/panels on the extension
 * host, media/plan in the webview). Plain types and a few pure guards; no `vscode`, no DOM.
 *
 * Handshake: the webview posts `ready` once its script runs; the host answers with the
 * content to show (`show` or `compare`). A hidden panel is torn down (retainContextWhenHidden
 * is off) and restores from the webview's own `setState`, then says `ready` again.
 */
import type { PlanDiff, PlanModel, Tip } from '../explain/types';

/** The webview panel's type id (also the serializer's). */
export const PLAN_VIEW_TYPE = 'sqlperf.plan';

/** One plan as the panel shows it: the model plus what the host already computed. */
export interface PlanPayload {
  /** stable id of this run (history id, or a fresh one for a plan file) */
  id: string;
  /** "EXPLAIN ANALYZE · embedded database · 14:03:12", "plan.json" */
  title: string;
  /** the SQL that was explained, null for a plan file without it */
  statement: string | null;
  model: PlanModel;
  /** planTips(model), highest score first */
  tips: Tip[];
  /** renderPlanText(model, tips) */
  text: string;
  /** the plan as PostgreSQL (or the file) gave it */
  raw: string;
  rawKind: 'json' | 'text';
  analyzed: boolean;
  /** "embedded database", a profile name, or null */
  target: string | null;
  /** ms since the epoch */
  createdAt: number;
  /** clicking a node can highlight the SQL it came from */
  sourceLinked: boolean;
}

export interface ShowMessage {
  type: 'show';
  plan: PlanPayload;
}

export interface CompareMessage {
  type: 'compare';
  before: PlanPayload;
  after: PlanPayload;
  diff: PlanDiff;
}

/** The editor's cursor is in SQL that produced this node (null: in no node's SQL). */
export interface HighlightNodeMessage {
  type: 'highlightNode';
  planId: string;
  nodeId: number | null;
}

/** "SQL Perf: Export Plan as HTML" from the palette: answer with an `export` message. */
export interface RequestExportMessage {
  type: 'requestExport';
}

export type ContentMessage = ShowMessage | CompareMessage;
export type HostToWebview = ContentMessage | HighlightNodeMessage | RequestExportMessage;

export interface ReadyMessage {
  type: 'ready';
}

/** The user selected a node (click, Enter, a tip, a search hit). */
export interface SelectNodeMessage {
  type: 'selectNode';
  planId: string;
  nodeId: number;
}

/** Export the panel as a self-contained HTML file, in the theme it shows now. */
export interface ExportMessage {
  type: 'export';
  /** the `--vscode-*` variables in force, name -> value */
  themeVars: Record<string, string>;
  /** 'vscode-light' | 'vscode-dark' | 'vscode-high-contrast' | 'vscode-high-contrast-light' */
  themeKind: string;
}

/** Run one of the extension's commands from a panel button. */
export interface CommandMessage {
  type: 'command';
  command: 'comparePlans' | 'openPlanFile';
}

/** A script error in the webview, for the host's log (never shown as a stack). */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type WebviewToHost = ReadyMessage | SelectNodeMessage | ExportMessage | CommandMessage | ErrorMessage;

/** Element id of the JSON data block an exported HTML file carries instead of a host. */
export const EXPORT_DATA_ID = 'sqlperf-plan-data';

const COMMANDS: ReadonlySet<string> = new Set(['comparePlans', 'openPlanFile']);

/** Validates a message from the webview (it is a separate, less trusted context). */
export function parseWebviewMessage(m: unknown): WebviewToHost | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
      return { type: 'ready' };
    case 'selectNode':
      return typeof o.planId === 'string' && Number.isInteger(o.nodeId) && (o.nodeId as number) >= 0
        ? { type: 'selectNode', planId: o.planId, nodeId: o.nodeId as number }
        : null;
    case 'export': {
      const vars: Record<string, string> = {};
      if (o.themeVars && typeof o.themeVars === 'object') {
        for (const [k, v] of Object.entries(o.themeVars as Record<string, unknown>)) if (typeof v === 'string') vars[k] = v;
      }
      return { type: 'export', themeVars: vars, themeKind: typeof o.themeKind === 'string' ? o.themeKind : '' };
    }
    case 'command':
      return typeof o.command === 'string' && COMMANDS.has(o.command) ? { type: 'command', command: o.command as CommandMessage['command'] } : null;
    case 'error':
      return { type: 'error', message: String(o.message ?? '').slice(0, 2000) };
    default:
      return null;
  }
}
