/**
 * Pool configurations in application code, found with tree-sitter (the grammars the
 * embedded-SQL extractors load): node-postgres `new Pool({...})`, SQLAlchemy
 * `create_engine(...)`, Go database/sql `SetMaxOpenConns/SetMaxIdleConns/SetConnMaxLifetime`
 * and pgxpool `MaxConns`. Synchronous after `loadPoolFinder()`; never throws on bad input.
 */
import { Parser, type Node } from '@vscode/tree-sitter-wasm';
import { hostLanguageForPath, type HostLanguage } from '../../server/engine/extract';
import { grammarsIfLoaded, loadGrammars, type GrammarId } from '../../server/engine/extract/wasm';
import type { AppPoolConfig, SettingValue } from './types';

const GRAMMAR: Record<HostLanguage, GrammarId> = {
  typescript: 'typescript',
  typescriptreact: 'tsx',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  python: 'python',
  go: 'go',
};

export async function loadPoolFinder(): Promise<void> {
  await loadGrammars();
}

const parsers = new Map<GrammarId, Parser>();
function parserFor(grammar: GrammarId): Parser {
  let p = parsers.get(grammar);
  if (!p) {
    const loaded = grammarsIfLoaded();
    if (!loaded) throw new Error('pool finder not loaded: await loadPoolFinder() first');
    p = new Parser();
    p.setLanguage(loaded.languages[grammar]);
    parsers.set(grammar, p);
  }
  return p;
}

/** Pool configurations in one file; `file` is what the results carry (usually workspace-relative). */
export function findPoolConfigs(text: string, file: string, language: HostLanguage | null = hostLanguageForPath(file)): AppPoolConfig[] {
  if (!language) return [];
  // cheap pre-filter: most files configure no pool
  if (!/Pool|create_engine|SetMaxOpenConns|SetMaxIdleConns|SetConnMaxLifetime|MaxConns|sql\.Open/.test(text)) return [];
  const tree = parserFor(GRAMMAR[language]).parse(text);
  if (!tree) return [];
  try {
    if (language === 'python') return findPython(tree.rootNode, file);
    if (language === 'go') return findGo(tree.rootNode, file);
    return findJs(tree.rootNode, file);
  } finally {
    tree.delete();
  }
}

type Visit = (node: Node, fn: string | undefined) => void;

/** Depth-first walk tracking the innermost enclosing function's name ('<anonymous>' if none). */
function walk(root: Node, functionTypes: ReadonlySet<string>, visit: Visit): void {
  const stack: Array<{ node: Node; fn: string | undefined }> = [{ node: root, fn: undefined }];
  while (stack.length) {
    const { node, fn } = stack.pop()!;
    visit(node, fn);
    const inner = functionTypes.has(node.type) ? (node.childForFieldName('name')?.text ?? '<anonymous>') : fn;
    const kids = node.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push({ node: k, fn: inner });
    }
  }
}

const line = (n: Node): number => n.startPosition.row + 1;

// ---------------------------------------------------------------- JavaScript / TypeScript

const JS_FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);

function jsLiteral(n: Node | null): SettingValue {
  if (!n) return null;
  if (n.type === 'number') {
    const v = Number(n.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : n.text;
  }
  if (n.type === 'true') return true;
  if (n.type === 'false') return false;
  if (n.type === 'string') return n.text.slice(1, -1);
  if (n.type === 'parenthesized_expression' || n.type === 'as_expression' || n.type === 'satisfies_expression') return jsLiteral(n.namedChildren[0] ?? null);
  if (n.type === 'binary_expression') {
    const l = jsLiteral(n.childForFieldName('left'));
    const r = jsLiteral(n.childForFieldName('right'));
    const op = n.childForFieldName('operator')?.text ?? n.children.find((c) => c && !c.isNamed)?.text;
    if (typeof l === 'number' && typeof r === 'number' && op === '*') return l * r;
  }
  return n.text;
}

function findJs(root: Node, file: string): AppPoolConfig[] {
  const out: AppPoolConfig[] = [];
  walk(root, JS_FUNCTIONS, (node, fn) => {
    if (node.type !== 'new_expression') return;
    const ctor = node.childForFieldName('constructor');
    if (!ctor) return;
    const name = ctor.type === 'member_expression' ? (ctor.childForFieldName('property')?.text ?? '') : ctor.text;
    if (name !== 'Pool') return;
    const settings: Record<string, SettingValue> = {};
    const args = node.childForFieldName('arguments');
    const obj = args?.namedChildren.find((a) => a?.type === 'object');
    for (const pair of obj?.namedChildren ?? []) {
      if (pair?.type !== 'pair') continue;
      const key = pair.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '');
      if (key && NODE_PG_KEYS.has(key)) settings[key] = jsLiteral(pair.childForFieldName('value'));
    }
    const max = 'max' in settings ? settings.max : 10;
    out.push({
      file,
      line: line(node),
      library: 'node-postgres',
      settings,
      maxConnections: typeof max === 'number' ? max : undefined,
      ...(fn ? { createdInFunction: fn } : {}),
    });
  });
  return out;
}

const NODE_PG_KEYS = new Set(['max', 'min', 'idleTimeoutMillis', 'connectionTimeoutMillis', 'maxLifetimeSeconds', 'maxUses', 'statement_timeout', 'query_timeout', 'idle_in_transaction_session_timeout', 'allowExitOnIdle', 'keepAlive']);

// ---------------------------------------------------------------- Python (SQLAlchemy)

const PY_FUNCTIONS = new Set(['function_definition', 'lambda']);
const SQLA_KEYS = new Set(['pool_size', 'max_overflow', 'pool_timeout', 'pool_recycle', 'pool_pre_ping', 'poolclass', 'pool_use_lifo', 'pool_reset_on_return']);

function pyLiteral(n: Node | null): SettingValue {
  if (!n) return null;
  if (n.type === 'integer' || n.type === 'float') {
    const v = Number(n.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : n.text;
  }
  if (n.type === 'true') return true;
  if (n.type === 'false') return false;
  if (n.type === 'none') return null;
  if (n.type === 'unary_operator') {
    const v = pyLiteral(n.childForFieldName('argument'));
    return typeof v === 'number' && n.text.startsWith('-') ? -v : n.text;
  }
  if (n.type === 'binary_operator') {
    const l = pyLiteral(n.childForFieldName('left'));
    const r = pyLiteral(n.childForFieldName('right'));
    if (typeof l === 'number' && typeof r === 'number' && n.childForFieldName('operator')?.text === '*') return l * r;
  }
  return n.text;
}

function findPython(root: Node, file: string): AppPoolConfig[] {
  const out: AppPoolConfig[] = [];
  walk(root, PY_FUNCTIONS, (node, fn) => {
    if (node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (!callee) return;
    const name = callee.type === 'attribute' ? (callee.childForFieldName('attribute')?.text ?? '') : callee.text;
    if (name !== 'create_engine' && name !== 'create_async_engine') return;
    const settings: Record<string, SettingValue> = {};
    for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (arg?.type !== 'keyword_argument') continue;
      const key = arg.childForFieldName('name')?.text;
      if (key && SQLA_KEYS.has(key)) settings[key] = pyLiteral(arg.childForFieldName('value'));
    }
    // pool_recycle and pool_timeout are seconds in SQLAlchemy; kept as written
    const size = 'pool_size' in settings ? settings.pool_size : 5;
    const overflow = 'max_overflow' in settings ? settings.max_overflow : 10;
    const nullPool = typeof settings.poolclass === 'string' && /NullPool/.test(settings.poolclass);
    let max: number | null | undefined;
    if (nullPool) max = undefined;
    else if (typeof size === 'number' && typeof overflow === 'number') max = overflow < 0 ? null : size + overflow;
    out.push({ file, line: line(node), library: 'sqlalchemy', settings, maxConnections: max, ...(fn ? { createdInFunction: fn } : {}) });
  });
  return out;
}

// ---------------------------------------------------------------- Go

const GO_FUNCTIONS = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const GO_UNITS_MS: Record<string, number> = { Nanosecond: 1e-6, Microsecond: 1e-3, Millisecond: 1, Second: 1000, Minute: 60_000, Hour: 3_600_000 };
const GO_SETTERS: Record<string, string> = {
  SetMaxOpenConns: 'maxOpenConns',
  SetMaxIdleConns: 'maxIdleConns',
  SetConnMaxLifetime: 'connMaxLifetime',
  SetConnMaxIdleTime: 'connMaxIdleTime',
};
const PGX_FIELDS: Record<string, string> = {
  MaxConns: 'maxConns',
  MinConns: 'minConns',
  MaxConnLifetime: 'maxConnLifetime',
  MaxConnIdleTime: 'maxConnIdleTime',
  HealthCheckPeriod: 'healthCheckPeriod',
};

/** An int literal, or a duration like `30 * time.Second` in ms; else the text. */
function goValue(n: Node | null, duration: boolean): SettingValue {
  if (!n) return null;
  if (n.type === 'int_literal' || n.type === 'float_literal') {
    const v = Number(n.text.replace(/_/g, ''));
    return Number.isFinite(v) ? (duration ? v / 1e6 : v) : n.text; // a bare number is nanoseconds for a Duration
  }
  if (n.type === 'parenthesized_expression') return goValue(n.namedChildren[0] ?? null, duration);
  if (n.type === 'selector_expression' && n.childForFieldName('operand')?.text === 'time') {
    const unit = GO_UNITS_MS[n.childForFieldName('field')?.text ?? ''];
    if (unit !== undefined) return unit;
  }
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '*') {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    const lv = goValue(l, l?.type === 'selector_expression');
    const rv = goValue(r, r?.type === 'selector_expression');
    if (typeof lv === 'number' && typeof rv === 'number') return lv * rv;
  }
  return n.text;
}

interface GoPool {
  config: AppPoolConfig;
}

function findGo(root: Node, file: string): AppPoolConfig[] {
  // database/sql: one pool per receiver name (`db`), opened by sql.Open / sqlx.Open / sqlx.Connect,
  // configured by its Set* calls in the same file.
  const byReceiver = new Map<string, GoPool>();
  const order: GoPool[] = [];
  const pool = (receiver: string, at: Node, library: AppPoolConfig['library'], fn: string | undefined): GoPool => {
    let p = byReceiver.get(receiver);
    if (!p) {
      p = { config: { file, line: line(at), library, settings: {}, maxConnections: library === 'pgxpool' ? 4 : null, ...(fn ? { createdInFunction: fn } : {}) } };
      byReceiver.set(receiver, p);
      order.push(p);
    }
    return p;
  };
  walk(root, GO_FUNCTIONS, (node, fn) => {
    if (node.type === 'short_var_declaration' || node.type === 'assignment_statement') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const call = right?.namedChildren[0];
      const lhs = left?.namedChildren[0];
      if (call?.type === 'call_expression' && lhs) {
        const callee = call.childForFieldName('function')?.text ?? '';
        if (/^(sql|sqlx)\.(Open|Connect|MustConnect|MustOpen)$/.test(callee)) pool(lhs.text, node, 'database/sql', fn);
        else if (/^pgxpool\.(New|NewWithConfig|Connect|ConnectConfig)$/.test(callee)) {
          // the config variable passed in carries the settings: key the pool by it too
          const cfgArg = call.childForFieldName('arguments')?.namedChildren[1];
          const p = pool(cfgArg?.type === 'identifier' ? cfgArg.text : lhs.text, node, 'pgxpool', fn);
          p.config.line = line(node);
        }
      }
      // pgxpool: cfg.MaxConns = 10
      if (node.type === 'assignment_statement' && lhs?.type === 'selector_expression') {
        const field = lhs.childForFieldName('field')?.text ?? '';
        const key = PGX_FIELDS[field];
        if (key) {
          const recv = lhs.childForFieldName('operand')?.text ?? '';
          const p = pool(recv, node, 'pgxpool', fn);
          const v = goValue(right?.namedChildren[0] ?? null, key !== 'maxConns' && key !== 'minConns');
          p.config.settings[key] = v;
          if (key === 'maxConns') p.config.maxConnections = typeof v === 'number' ? v : undefined;
        }
      }
      return;
    }
    if (node.type !== 'call_expression') return;
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'selector_expression') return;
    const method = callee.childForFieldName('field')?.text ?? '';
    const key = GO_SETTERS[method];
    if (!key) return;
    const recv = callee.childForFieldName('operand')?.text ?? '';
    const p = pool(recv, node, 'database/sql', fn);
    const v = goValue(node.childForFieldName('arguments')?.namedChildren[0] ?? null, key.startsWith('conn'));
    p.config.settings[key] = v;
    if (key === 'maxOpenConns') p.config.maxConnections = typeof v === 'number' ? (v <= 0 ? null : v) : undefined;
  });
  return order.map((p) => p.config);
}
