/**
 * The one place that finds and loads tree-sitter's WebAssembly files.
 *
 * From sources the files live in node_modules/@vscode/tree-sitter-wasm/wasm; in the bundles
 * (dist/server.js, dist/cli.js) esbuild.mjs copies them next to the bundle, i.e. into
 * `__dirname`. The runtime must be told where tree-sitter.wasm is (`locateFile`): its own
 * guess is relative to its script, which no longer exists once bundled.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser } from '@vscode/tree-sitter-wasm';

export type GrammarId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go';

export const GRAMMAR_FILES: Record<GrammarId, string> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
};

/** Every .wasm file extraction loads: the bundler must copy these next to the bundle. */
export const EXTRACT_WASM_FILES: readonly string[] = ['tree-sitter.wasm', ...Object.values(GRAMMAR_FILES)];

let configuredDir: string | null = null;

/**
 * Overrides where the .wasm files are looked up. Call before loadExtractors(); null restores
 * the default.
 */
export function setWasmDirectory(dir: string | null): void {
  configuredDir = dir;
}

/** The directory the .wasm files are loaded from. */
export function wasmDirectory(): string {
  if (configuredDir) return configuredDir;
  // Bundled: the files were copied next to the bundle.
  if (fs.existsSync(path.join(__dirname, 'tree-sitter.wasm'))) return __dirname;
  // From sources (tsx, tests): the package itself.
  try {
    return path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'));
  } catch {
    return __dirname;
  }
}

export interface LoadedGrammars {
  languages: Record<GrammarId, Language>;
}

let loading: Promise<LoadedGrammars> | null = null;
let runtimeReady: Promise<void> | null = null;
let loaded: LoadedGrammars | null = null;

/** Loads the runtime and every grammar once; later calls share the same promise. */
export function loadGrammars(): Promise<LoadedGrammars> {
  if (!loading) {
    loading = doLoad().then(
      (g) => (loaded = g),
      (e: unknown) => {
        loading = null; // allow a retry, e.g. after setWasmDirectory()
        throw e;
      },
    );
  }
  return loading;
}

/** The loaded grammars, or null before loadGrammars() resolved. */
export function grammarsIfLoaded(): LoadedGrammars | null {
  return loaded;
}

async function doLoad(): Promise<LoadedGrammars> {
  const dir = wasmDirectory();
  const need = (file: string): string => {
    const p = path.join(dir, file);
    if (!fs.existsSync(p)) {
      throw new Error(`sqlperf: ${file} not found in ${dir} (the bundler must copy ${EXTRACT_WASM_FILES.join(', ')} next to the bundle)`);
    }
    return p;
  };
  const runtime = need('tree-sitter.wasm');
  // The runtime is initialised once per process, even if a grammar failed to load before.
  runtimeReady ??= Parser.init({ locateFile: () => runtime }).catch((e: unknown) => {
    runtimeReady = null;
    throw e;
  });
  await runtimeReady;
  const languages = {} as Record<GrammarId, Language>;
  for (const id of Object.keys(GRAMMAR_FILES) as GrammarId[]) {
    languages[id] = await Language.load(need(GRAMMAR_FILES[id]));
  }
  return { languages };
}
