/**
 * Python adapter: psycopg / DB-API `cursor.execute`, SQLAlchemy `text()`, Django `raw()`,
 * asyncpg-style calls; strings in all their forms (implicit concatenation, triple quotes,
 * raw, f-strings, `%` formatting and `.format`).
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
  type DecodeFlags,
  type HostAdapter,
  type Node,
  type Special,
} from './adapter';
import { decodePyEscape } from './escapes';
import type { SqlBuilder } from './mapping';
import type { LoopInfo } from './types';

const QUERY = `
(call) @call
(string) @str
(assignment left: (identifier) right: (_)) @bind
`;

const PARENS = new Set(['parenthesized_expression']);
const SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
const COMPREHENSIONS: Record<string, string> = {
  list_comprehension: 'list-comprehension',
  set_comprehension: 'set-comprehension',
  dictionary_comprehension: 'dict-comprehension',
  generator_expression: 'generator',
};
/** Keyword arguments that carry the statement: `cur.execute(query="...")`. */
const SQL_KEYWORD_ARGS = new Set(['query', 'sql', 'statement', 'operation']);

const unwrapParens = (n: Node): Node => unwrap(n, PARENS);

function isPlus(n: Node): boolean {
  return n.type === 'binary_operator' && operatorOf(n) === '+';
}

/** `"...".format(...)`: the string, else null. */
function formatReceiver(n: Node): Node | null {
  if (n.type !== 'call') return null;
  const fn = n.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return null;
  const obj = fn.childForFieldName('object');
  return obj && isLiteral(unwrapParens(obj)) ? unwrapParens(obj) : null;
}

/** `"..." % args`: the string expression on the left, else null. */
function percentLeft(n: Node): Node | null {
  if (n.type !== 'binary_operator' || operatorOf(n) !== '%') return null;
  const left = n.childForFieldName('left');
  return left && pythonAdapter.stringish(left) ? left : null;
}

function isLiteral(n: Node): boolean {
  return n.type === 'string' || n.type === 'concatenated_string';
}

function leaves(node: Node): Node[] {
  return flatten(unwrapParens(node), isPlus, unwrapParens);
}

function decodeString(s: Node, b: SqlBuilder): void {
  const kids = s.children.filter((c): c is Node => !!c);
  const open = kids[0];
  const close = kids[kids.length - 1];
  if (!open || open.type !== 'string_start') return;
  const prefix = open.text.replace(/['"]+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  const bytes = prefix.includes('b');
  const start = open.endIndex;
  const end = kids.length > 1 && close.type === 'string_end' ? close.startIndex : s.endIndex;
  const specials: Special[] = [];
  for (const k of kids) {
    if (k.type === 'interpolation') specials.push({ start: k.startIndex, end: k.endIndex, value: null });
    else if (k.type === 'string_content') {
      for (const e of k.children) {
        if (!e) continue;
        if (e.type === 'escape_sequence' && !raw) specials.push({ start: e.startIndex, end: e.endIndex, value: decodePyEscape(e.text, bytes) });
        else if (e.type === 'escape_interpolation') specials.push({ start: e.startIndex, end: e.endIndex, value: e.text[0] ?? '' });
      }
    }
  }
  decodeContent(b, start, end, specials);
}

function decodeLiteral(n: Node, b: SqlBuilder): void {
  if (n.type === 'string') decodeString(n, b);
  else for (const s of namedKids(n)) if (s.type === 'string') decodeString(s, b); // implicit concatenation
}

function memberName(n: Node): string {
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') return n.childForFieldName('attribute')?.text ?? '';
  return '';
}

export const pythonAdapter: HostAdapter = {
  query: QUERY,
  params: { percent: true, colon: true },
  braceCalls: new Set(['SQL']),

  callSite(node: Node): CallSite | null {
    const fn = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    if (!fn || !argsNode) return null;
    const args: Node[] = [];
    if (argsNode.type === 'argument_list') {
      for (const a of namedKids(argsNode)) {
        if (a.type === 'keyword_argument') {
          const value = a.childForFieldName('value');
          if (value && SQL_KEYWORD_ARGS.has(a.childForFieldName('name')?.text ?? '')) args.push(value);
        } else if (a.type !== 'list_splat' && a.type !== 'dictionary_splat') args.push(a);
      }
    }
    return { node, callee: unwrapParens(fn), args, tagged: false, awaited: () => false };
  },

  lastName: memberName,

  candidates(arg: Node): Node[] {
    const a = unwrapParens(arg);
    return this.stringish(a) ? [a] : [];
  },

  identifierName(arg: Node): string | null {
    const a = unwrapParens(arg);
    return a.type === 'identifier' ? a.text : null;
  },

  stringish(node: Node): boolean {
    const n = unwrapParens(node);
    if (isLiteral(n) || formatReceiver(n) || percentLeft(n)) return true;
    return isPlus(n) && leaves(n).some(isLiteral);
  },

  leadingContent(node: Node): number {
    const n = unwrapParens(node);
    const inner = formatReceiver(n) ?? percentLeft(n);
    if (inner) return this.leadingContent(inner);
    let first = leaves(n)[0];
    if (first?.type === 'concatenated_string') first = namedKids(first)[0];
    return first?.type === 'string' ? this.literalContentStart(first) : -1;
  },

  decode(node: Node, b: SqlBuilder): DecodeFlags {
    const n = unwrapParens(node);
    const fmt = formatReceiver(n);
    if (fmt) {
      decodeLiteral(fmt, b);
      return { braces: true };
    }
    const left = percentLeft(n);
    if (left) return this.decode(left, b);
    for (const leaf of leaves(n)) {
      if (isLiteral(leaf)) decodeLiteral(leaf, b);
      else b.hole(leaf.startIndex, leaf.endIndex, false);
    }
    return {};
  },

  literalContentStart(str: Node): number {
    return str.firstChild?.type === 'string_start' ? str.firstChild.endIndex : str.startIndex + 1;
  },

  stringRoot(path: Node[]): Node | null {
    let i = path.length - 1;
    if (path[i - 1]?.type === 'concatenated_string') i--;
    while (i > 0) {
      const n = path[i];
      const p = path[i - 1];
      if (p.type === 'parenthesized_expression' || isPlus(p)) i--;
      else if (p.type === 'binary_operator' && operatorOf(p) === '%' && sameNode(p.childForFieldName('left'), n)) i--;
      else if (p.type === 'attribute' && i > 1 && formatReceiver(path[i - 2]) && sameNode(p.childForFieldName('object'), n)) i -= 2;
      else break;
    }
    const root = unwrapParens(path[i]);
    // a bare string statement is a docstring, not a query
    let j = i - 1;
    while (j >= 0 && path[j].type === 'parenthesized_expression') j--;
    return j >= 0 && path[j].type === 'expression_statement' ? null : root;
  },

  bindings(node: Node) {
    const name = node.childForFieldName('left');
    const value = node.childForFieldName('right');
    if (!name || !value || name.type !== 'identifier') return [];
    return [{ name: name.text, value: unwrapParens(value) }];
  },

  isScope(node: Node): boolean {
    return SCOPES.has(node.type);
  },

  findLoop(path: Node[]): LoopInfo | undefined {
    const call = path[path.length - 1];
    for (let i = path.length - 2; i >= 0; i--) {
      const node = path[i];
      const from = path[i + 1];
      const t = node.type;
      if (t === 'for_statement') {
        if (sameNode(node.childForFieldName('body'), from)) return loopInfo('for', node);
      } else if (t === 'while_statement') {
        if (!sameNode(node.childForFieldName('alternative'), from)) return loopInfo('while', node);
      } else if (t in COMPREHENSIONS) {
        // the iterable of the first `for` clause is evaluated once
        const firstFor = namedKids(node).find((k) => k.type === 'for_in_clause');
        if (!(firstFor && sameNode(firstFor, from) && within(call, firstFor.childForFieldName('right')))) return loopInfo(COMPREHENSIONS[t], node);
      } else if (SCOPES.has(t)) {
        // map(lambda x: ..., xs) calls the lambda per element
        const args = path[i - 1];
        const outer = path[i - 2];
        if (t === 'lambda' && args?.type === 'argument_list' && outer?.type === 'call') {
          const name = outer.childForFieldName('function')?.text;
          if (name === 'map' || name === 'filter') return loopInfo('map', outer);
        }
        return undefined;
      }
    }
    return undefined;
  },
};
