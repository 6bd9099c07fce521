/**
 * Finding SQL embedded in host languages (DESIGN §3 "Embedded SQL").
 *
 *   await loadExtractors();                       // once: loads tree-sitter and the grammars
 *   const regions = extractEmbedded(text, 'typescript');   // synchronous, per keystroke
 *   const at = mapToHost(regions[0], sqlOffset);  // SQL offset -> host UTF-16 offset
 *
 * Offsets are UTF-16 code units (what VS Code and LSP use); tree-sitter reports them so
 * when parsing a JavaScript string.
 */
import { Parser, Query, type Node } from '@vscode/tree-sitter-wasm';
import type { HostAdapter } from './adapter';
import { extractWith } from './driver';
import { goAdapter } from './go';
import { javascriptAdapter } from './javascript';
import { pythonAdapter } from './python';
import type { EmbeddedOptions, EmbeddedRegion, HostLanguage } from './types';
import { grammarsIfLoaded, loadGrammars, type GrammarId } from './wasm';

export type { EmbeddedOptions, EmbeddedRegion, HostLanguage, LoopInfo } from './types';
export { mapToHost, mapEndToHost, mapRangeToHost, mapFromHost, hostEnd } from './mapping';
export { DEFAULT_SQL_CALLS } from './calls';
export { setWasmDirectory, wasmDirectory, EXTRACT_WASM_FILES } from './wasm';


import { DEFAULT_SQL_CALLS } from './calls';

const DEFAULT_OPTIONS: EmbeddedOptions = { calls: DEFAULT_SQL_CALLS };

const HOST_LANGUAGES: Record<HostLanguage, { grammar: GrammarId; adapter: HostAdapter }> = {
  typescript: { grammar: 'typescript', adapter: javascriptAdapter },
  typescriptreact: { grammar: 'tsx', adapter: javascriptAdapter },
  javascript: { grammar: 'javascript', adapter: javascriptAdapter },
  javascriptreact: { grammar: 'javascript', adapter: javascriptAdapter }, // the JS grammar parses JSX
  python: { grammar: 'python', adapter: pythonAdapter },
  go: { grammar: 'go', adapter: goAdapter },
};

const EXTENSIONS: Record<string, HostLanguage> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescriptreact',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascriptreact',
  py: 'python', go: 'go',
};

export function isHostLanguage(languageId: string): languageId is HostLanguage {
  return Object.prototype.hasOwnProperty.call(HOST_LANGUAGES, languageId);
}

export function hostLanguageForPath(path: string): HostLanguage | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  return (m && EXTENSIONS[m[1].toLowerCase()]) || null;
}

/** Loads tree-sitter and the grammars; resolves once, later calls are free. */
export async function loadExtractors(): Promise<void> {
  await loadGrammars();
}

export function extractorsReady(): boolean {
  return grammarsIfLoaded() !== null;
}

/** A parser and a compiled query per grammar, made on first use and kept. */
const tools = new Map<GrammarId, { parser: Parser; query: Query }>();

function toolsFor(grammar: GrammarId, adapter: HostAdapter): { parser: Parser; query: Query } {
  let t = tools.get(grammar);
  if (!t) {
    const loaded = grammarsIfLoaded();
    if (!loaded) throw new Error('embedded SQL extractors are not loaded: await loadExtractors() first');
    const language = loaded.languages[grammar];
    const parser = new Parser();
    parser.setLanguage(language);
    t = { parser, query: new Query(language, adapter.query) };
    tools.set(grammar, t);
  }
  return t;
}

/** SQL regions of a host document, in document order. Synchronous; never throws on bad input. */
export function extractEmbedded(
  text: string,
  language: HostLanguage,
  options: EmbeddedOptions = DEFAULT_OPTIONS,
  /** sees the host file's syntax tree after extraction, before it is freed (host-file rules) */
  inspect?: (root: Node) => void,
): EmbeddedRegion[] {
  const host = HOST_LANGUAGES[language];
  if (!host) return [];
  const { parser, query } = toolsFor(host.grammar, host.adapter);
  return extractWith(text, parser, query, host.adapter, options, inspect);
}
