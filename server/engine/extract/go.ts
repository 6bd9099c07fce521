/**
 * Go adapter: database/sql (`db.QueryContext(ctx, q, ...)`), pgx (`conn.Query(ctx, q)`),
 * sqlx (`db.Get(&dest, q, ...)`). Go has no interpolation; `+` concatenation is common.
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
import { decodeGoEscape } from './escapes';
import type { SqlBuilder } from './mapping';
import type { LoopInfo } from './types';

const QUERY = `
(call_expression) @call
(interpreted_string_literal) @str
(raw_string_literal) @str
(short_var_declaration) @bind
(assignment_statement) @bind
(var_spec) @bind
(const_spec) @bind
`;

const PARENS = new Set(['parenthesized_expression']);
const SCOPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

const unwrapParens = (n: Node): Node => unwrap(n, PARENS);

function isPlus(n: Node): boolean {
  return n.type === 'binary_expression' && operatorOf(n) === '+';
}

function isLiteral(n: Node): boolean {
  return n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal';
}

function leaves(node: Node): Node[] {
  return flatten(unwrapParens(node), isPlus, unwrapParens);
}

function decodeLiteral(n: Node, b: SqlBuilder): void {
  const text = n.text;
  const closed = text.length >= 2 && text[text.length - 1] === text[0];
  const start = n.startIndex + 1;
  const end = closed ? n.endIndex - 1 : n.endIndex;
  const specials: Special[] = [];
  if (n.type === 'interpreted_string_literal') {
    for (const c of n.children) {
      if (c?.type === 'escape_sequence') specials.push({ start: c.startIndex, end: c.endIndex, value: decodeGoEscape(c.text) });
    }
  }
  decodeContent(b, start, end, specials);
}

/** `name1, name2 := v1, v2` style pairs from two expression lists. */
function pairs(names: Node[], values: Node[]): Array<{ name: string; value: Node }> {
  const out: Array<{ name: string; value: Node }> = [];
  names.forEach((n, i) => {
    const v = values[i];
    if (n.type === 'identifier' && v) out.push({ name: n.text, value: unwrapParens(v) });
  });
  return out;
}

export const goAdapter: HostAdapter = {
  query: QUERY,
  params: { percent: false, colon: true },

  callSite(node: Node): CallSite | null {
    let fn = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    if (!fn || !argsNode) return null;
    fn = unwrapParens(fn);
    // generic instantiation: db.Query[T](...)
    if (fn.type === 'index_expression' || fn.type === 'generic_type') fn = fn.childForFieldName('operand') ?? fn;
    return { node, callee: fn, args: namedKids(argsNode), tagged: false, awaited: () => false };
  },

  lastName(n: Node): string {
    if (n.type === 'identifier') return n.text;
    if (n.type === 'selector_expression') return n.childForFieldName('field')?.text ?? '';
    return '';
  },

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
    return isLiteral(n) || (isPlus(n) && leaves(n).some(isLiteral));
  },

  leadingContent(node: Node): number {
    const first = leaves(node)[0];
    return first && isLiteral(first) ? first.startIndex + 1 : -1;
  },

  decode(node: Node, b: SqlBuilder) {
    for (const leaf of leaves(node)) {
      if (isLiteral(leaf)) decodeLiteral(leaf, b);
      else b.hole(leaf.startIndex, leaf.endIndex, false);
    }
    return {};
  },

  literalContentStart(str: Node): number {
    return str.startIndex + 1;
  },

  stringRoot(path: Node[]): Node | null {
    let i = path.length - 1;
    while (i > 0 && (isPlus(path[i - 1]) || path[i - 1].type === 'parenthesized_expression')) i--;
    return unwrapParens(path[i]);
  },

  bindings(node: Node) {
    switch (node.type) {
      case 'short_var_declaration':
      case 'assignment_statement': {
        if (node.type === 'assignment_statement' && operatorOf(node) !== '=') return [];
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        return left && right ? pairs(namedKids(left), namedKids(right)) : [];
      }
      case 'var_spec':
      case 'const_spec': {
        const names = node.childrenForFieldName('name').filter((n): n is Node => !!n);
        const value = node.childForFieldName('value');
        return value ? pairs(names, namedKids(value)) : [];
      }
      default:
        return [];
    }
  },

  isScope(node: Node): boolean {
    return SCOPES.has(node.type);
  },

  findLoop(path: Node[]): LoopInfo | undefined {
    const call = path[path.length - 1];
    for (let i = path.length - 2; i >= 0; i--) {
      const node = path[i];
      const from = path[i + 1];
      if (node.type === 'for_statement') {
        // `for x := init(); ...` and `range expr` evaluate once; the rest per iteration
        if (from.type === 'range_clause') continue;
        if (from.type === 'for_clause' && within(call, from.childForFieldName('initializer'))) continue;
        const ranged = namedKids(node).some((k) => k.type === 'range_clause');
        return loopInfo(ranged ? 'for-range' : 'for', node);
      }
      if (SCOPES.has(node.type)) {
        // func() { ... }() and go func() { ... }() run where they are written
        const p = path[i - 1];
        if (node.type === 'func_literal' && p?.type === 'call_expression' && sameNode(p.childForFieldName('function'), node)) continue;
        return undefined;
      }
    }
    return undefined;
  },
};
