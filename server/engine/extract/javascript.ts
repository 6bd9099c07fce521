/**
 * JavaScript / TypeScript / TSX adapter (tree-sitter-javascript, -typescript and -tsx share
 * these node types).
 */
import {
  decodeContent,
  flatten,
  loopInfo,
  namedKids,
  operatorOf,
  sameNode,
  unwrap,
  within,
  type CallSite,
  type HostAdapter,
  type Node,
  type Special,
} from './adapter';
import { decodeJsEscape } from './escapes';
import type { SqlBuilder } from './mapping';
import type { LoopInfo } from './types';

const QUERY = `
(call_expression) @call
(string) @str
(template_string) @str
(variable_declarator name: (identifier) value: (_)) @bind
(assignment_expression left: (identifier) right: (_)) @bind
`;

/** Wrappers that leave a value unchanged. */
const VALUE_WRAPPERS = new Set(['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion']);
const PARENS = new Set(['parenthesized_expression']);
/** Wrappers the TypeScript grammar may put around a tag: `await prisma.$queryRaw<T>`...``. */
const CALLEE_WRAPPERS = new Set(['parenthesized_expression', 'non_null_expression', 'instantiation_expression', 'await_expression']);

const FUNCTIONS = new Set([
  'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition',
  'generator_function_declaration', 'generator_function', 'class_static_block',
]);

/** Array methods whose callback runs once per element. */
const ARRAY_METHODS = new Set([
  'forEach', 'map', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex',
]);

/** Tags that only re-indent their template: `db.query(dedent`SELECT ...`)` is still SQL. */
const TRANSPARENT_TAGS = new Set(['dedent', 'outdent', 'stripIndent', 'stripIndents', 'oneLine', 'oneLineTrim', 'String.raw']);

/** Keys of a query-config object: node-postgres `{ text }`, mysql2 `{ sql }`. */
const CONFIG_KEYS = new Set(['text', 'sql']);

function isPlus(n: Node): boolean {
  return n.type === 'binary_expression' && operatorOf(n) === '+';
}

function isLiteral(n: Node): boolean {
  return n.type === 'string' || n.type === 'template_string' || transparentTemplate(n) !== null;
}

/** The template of `dedent`...`` (and friends), else null. */
function transparentTemplate(n: Node): Node | null {
  if (n.type !== 'call_expression') return null;
  const args = n.childForFieldName('arguments');
  const fn = n.childForFieldName('function');
  if (!args || !fn || args.type !== 'template_string') return null;
  const name = fn.text.replace(/\s+/g, '');
  return TRANSPARENT_TAGS.has(name) || TRANSPARENT_TAGS.has(name.slice(name.lastIndexOf('.') + 1)) ? args : null;
}

const unwrapParens = (n: Node): Node => unwrap(n, PARENS);

function leaves(node: Node): Node[] {
  return flatten(unwrapParens(node), isPlus, unwrapParens);
}

/** Content range of a quoted literal: tolerant of an unterminated one (error recovery). */
function contentRange(n: Node): [number, number] {
  const text = n.text;
  const closed = text.length >= 2 && text[text.length - 1] === text[0];
  return [n.startIndex + 1, closed ? n.endIndex - 1 : n.endIndex];
}

/** `raw`: String.raw`...` keeps escape sequences as written. */
function decodeLiteral(n: Node, b: SqlBuilder, raw = false): void {
  const [start, end] = contentRange(n);
  const specials: Special[] = [];
  for (const c of n.children) {
    if (!c) continue;
    if (c.type === 'escape_sequence' && !raw) specials.push({ start: c.startIndex, end: c.endIndex, value: decodeJsEscape(c.text) });
    else if (c.type === 'template_substitution') specials.push({ start: c.startIndex, end: c.endIndex, value: null });
  }
  decodeContent(b, start, end, specials);
}

function memberName(n: Node): string {
  if (n.type === 'identifier') return n.text;
  if (n.type === 'member_expression') return n.childForFieldName('property')?.text ?? '';
  return '';
}

/** `xs.map(fn)`: the call and method when `fn` (path[i]) is an argument of an array-method call. */
function arrayCallback(path: Node[], i: number): { method: string; call: Node } | null {
  const args = path[i - 1];
  const call = path[i - 2];
  if (!args || args.type !== 'arguments' || !call || call.type !== 'call_expression') return null;
  const callee = call.childForFieldName('function');
  if (!callee || callee.type !== 'member_expression') return null;
  const method = callee.childForFieldName('property')?.text ?? '';
  return ARRAY_METHODS.has(method) ? { method, call } : null;
}

/** `(function () { ... })()` and `(() => ...)()` (path[i]) run in place: not a boundary for loops. */
function isIife(path: Node[], i: number): boolean {
  let target = path[i];
  let j = i - 1;
  if (path[j]?.type === 'parenthesized_expression') target = path[j--];
  const p = path[j];
  return p?.type === 'call_expression' && sameNode(p.childForFieldName('function'), target);
}

function forInKind(node: Node): string {
  let awaited = false;
  let op = '';
  for (const c of node.children) {
    if (c?.type === 'await') awaited = true;
    if (c?.type === 'of' || c?.type === 'in') op = c.type;
  }
  return awaited ? 'for-await' : op === 'in' ? 'for-in' : 'for-of';
}

export const javascriptAdapter: HostAdapter = {
  query: QUERY,
  params: { percent: false, colon: true },

  genericTagOf(str: Node, text: string): Node | null {
    // `sql<Row>`...`` parses as (sql < Row) > `...` in the TypeScript grammar. Found from the
    // template rather than by a query pattern: a pattern rooted at binary_expression keeps one
    // in-progress match per nesting level, quadratic in a long `+` chain.
    if (str.type !== 'template_string') return null;
    let i = str.startIndex - 1;
    while (i >= 0 && /\s/.test(text[i])) i--;
    if (text[i] !== '>') return null;
    const bin = str.parent;
    if (!bin || bin.type !== 'binary_expression' || operatorOf(bin) !== '>' || !sameNode(bin.childForFieldName('right'), str)) return null;
    const left = bin.childForFieldName('left');
    return left?.type === 'binary_expression' && operatorOf(left) === '<' ? bin : null;
  },

  callSite(node: Node, capture: string): CallSite | null {
    if (capture === 'gtag') {
      // `sql<Row>`...`` parses as (sql < Row) > `...` in the TypeScript grammar.
      const tag = node.childForFieldName('left')?.childForFieldName('left');
      const tpl = node.childForFieldName('right');
      if (!tag || !tpl) return null;
      return { node, callee: unwrapParens(tag), args: [tpl], tagged: true, awaited: () => node.parent?.type === 'await_expression' };
    }
    const fn = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    if (!fn || !argsNode) return null;
    let callee = fn;
    let awaited = false;
    for (let guard = 0; guard < 16 && CALLEE_WRAPPERS.has(callee.type); guard++) {
      if (callee.type === 'await_expression') awaited = true;
      const inner = namedKids(callee)[0];
      if (!inner) break;
      callee = inner;
    }
    if (argsNode.type === 'template_string') {
      const awaitedInCallee = awaited;
      const isAwaited = (): boolean => {
        if (awaitedInCallee) return true;
        let up = node.parent;
        while (up?.type === 'parenthesized_expression') up = up.parent;
        return up?.type === 'await_expression';
      };
      return { node, callee, args: [argsNode], tagged: true, awaited: isAwaited };
    }
    return { node, callee, args: namedKids(argsNode), tagged: false, awaited: () => false };
  },

  lastName: memberName,

  directArgumentOf(path: Node[]): Node | null {
    const n = path.length;
    return n >= 3 && path[n - 2].type === 'arguments' && path[n - 3].type === 'call_expression' ? path[n - 3] : null;
  },

  candidates(arg: Node): Node[] {
    const a = unwrap(arg, VALUE_WRAPPERS);
    if (this.stringish(a)) return [a];
    if (a.type === 'object') {
      for (const pair of namedKids(a)) {
        if (pair.type !== 'pair') continue;
        const key = pair.childForFieldName('key');
        const value = pair.childForFieldName('value');
        const keyText = key?.type === 'string' ? key.text.slice(1, -1) : key?.text;
        if (value && keyText && CONFIG_KEYS.has(keyText)) {
          const v = unwrap(value, VALUE_WRAPPERS);
          return this.stringish(v) ? [v] : [];
        }
      }
      return [];
    }
    if (a.type === 'ternary_expression') {
      const out: Node[] = [];
      for (const f of ['consequence', 'alternative']) {
        const v = a.childForFieldName(f);
        if (v && this.stringish(unwrap(v, VALUE_WRAPPERS))) out.push(unwrap(v, VALUE_WRAPPERS));
      }
      return out;
    }
    return [];
  },

  identifierName(arg: Node): string | null {
    const a = unwrap(arg, VALUE_WRAPPERS);
    return a.type === 'identifier' ? a.text : null;
  },

  stringish(node: Node): boolean {
    const n = unwrapParens(node);
    if (isLiteral(n)) return true;
    return isPlus(n) && leaves(n).some(isLiteral);
  },

  leadingContent(node: Node): number {
    const first = leaves(node)[0];
    if (!first) return -1;
    const lit = first.type === 'string' || first.type === 'template_string' ? first : transparentTemplate(first);
    return lit ? lit.startIndex + 1 : -1;
  },

  decode(node: Node, b: SqlBuilder) {
    for (const leaf of leaves(node)) {
      const lit = leaf.type === 'string' || leaf.type === 'template_string' ? leaf : transparentTemplate(leaf);
      if (lit) decodeLiteral(lit, b, lit !== leaf && /^String\s*\.\s*raw$/.test(leaf.childForFieldName('function')?.text ?? ''));
      else b.hole(leaf.startIndex, leaf.endIndex, false);
    }
    return {};
  },

  literalContentStart(str: Node): number {
    return str.startIndex + 1;
  },

  stringRoot(path: Node[]): Node | null {
    let i = path.length - 1;
    const str = path[i];
    // a template under a transparent tag belongs to the tag call
    const p0 = path[i - 1];
    if (str.type === 'template_string' && p0?.type === 'call_expression' && transparentTemplate(p0)) i--;
    while (i > 0 && (isPlus(path[i - 1]) || path[i - 1].type === 'parenthesized_expression')) i--;
    return unwrapParens(path[i]);
  },

  bindings(node: Node) {
    const isDecl = node.type === 'variable_declarator';
    const name = node.childForFieldName(isDecl ? 'name' : 'left');
    const value = node.childForFieldName(isDecl ? 'value' : 'right');
    if (!name || !value || name.type !== 'identifier') return [];
    return [{ name: name.text, value: unwrap(value, VALUE_WRAPPERS) }];
  },

  isScope(node: Node): boolean {
    return FUNCTIONS.has(node.type);
  },

  findLoop(path: Node[]): LoopInfo | undefined {
    const call = path[path.length - 1];
    for (let i = path.length - 2; i >= 0; i--) {
      const node = path[i];
      const from = path[i + 1];
      switch (node.type) {
        case 'for_statement':
          // the initializer runs once; condition, increment and body run per iteration
          if (!within(call, node.childForFieldName('initializer'))) return loopInfo('for', node);
          break;
        case 'for_in_statement':
          if (sameNode(node.childForFieldName('body'), from)) return loopInfo(forInKind(node), node);
          break;
        case 'while_statement':
          return loopInfo('while', node);
        case 'do_statement':
          return loopInfo('do-while', node);
        default:
          if (FUNCTIONS.has(node.type)) {
            const cb = arrayCallback(path, i);
            if (cb) return loopInfo(cb.method, cb.call);
            if (!isIife(path, i)) return undefined;
          }
      }
    }
    return undefined;
  },
};
