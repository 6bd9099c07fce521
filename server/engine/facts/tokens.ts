/**
 * Source ranges for AST nodes. libpg-query gives each node only a start `location` (a UTF-8
 * byte offset, often of an operator rather than of the expression's first token) and no
 * end. We rebuild ranges from PostgreSQL's own token stream: take the smallest and largest
 * location in a subtree, widen to whole tokens, then to balanced `()`, `[]` and `CASE ... END`
 * so that `lower(x)` ends at its `)` and `(a + b) * c` starts at its `(`.
 */
import type { Tokens } from './lexer';
import type { Span } from './types';

export { Tokens, type Tok } from './lexer';

type Obj = Record<string, unknown>;

export interface Extent {
  min: number;
  max: number;
  /** node type owning `max` (the wrapper key, or 'TypeName' for a raw `typeName` body) */
  maxType: string;
}

/**
 * Smallest and largest `location` in a subtree. Iterative (ASTs can be thousands deep) and
 * allocation-light: this is the extractor's hottest loop.
 */
const NODES: object[] = [];
const HINTS: string[] = [];

export function extent(root: unknown): Extent | null {
  if (!root || typeof root !== 'object') return null;
  let min = Infinity;
  let max = -1;
  let maxType = '';
  // the walk's stacks are shared between calls (never nested): empty again on return
  const nodes = NODES;
  const hints = HINTS;
  nodes.push(root);
  hints.push('');
  while (nodes.length) {
    const n = nodes.pop()!;
    const hint = hints.pop()!;
    if (Array.isArray(n)) {
      for (let i = n.length - 1; i >= 0; i--) {
        const v = n[i];
        if (v && typeof v === 'object') {
          nodes.push(v);
          hints.push(hint);
        }
      }
      continue;
    }
    const o = n as Obj;
    // (`location` is read in the loop over the keys: reading `o.location` directly is a
    // lookup on objects of a hundred shapes)
    for (const k in o) {
      const v = o[k];
      if (!v || typeof v !== 'object') {
        if (k === 'location' && typeof v === 'number' && v >= 0) {
          if (v < min) min = v;
          // `>=`: on ties prefer the node found later, which is the inner one (e.g. the
          // ColumnRef rather than the ResTarget that shares its location)
          if (v >= max) {
            max = v;
            maxType = hint;
          }
        }
        continue;
      }
      nodes.push(v as object);
      const c0 = k.charCodeAt(0);
      hints.push(c0 >= 65 && c0 <= 90 ? k : k === 'typeName' ? 'TypeName' : Array.isArray(v) ? hint : '');
    }
  }
  return max < 0 ? null : { min, max, maxType };
}

/** The extent of two extents; on equal maxima the second (the inner or later node) wins. */
export function combine(a: Extent | null, b: Extent | null): Extent | null {
  if (!a) return b;
  if (!b) return a;
  return {
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    maxType: b.max >= a.max ? b.maxType : a.maxType,
  };
}

/** Token indices [s, e] for an extent. */
export function extentTokens(t: Tokens, x: Extent | null): [number, number] | null {
  if (!x) return null;
  const s = t.at(x.min);
  let e = t.at(x.max);
  if (s < 0 || e < 0) return null;
  e = extendEnd(t, e, x.maxType);
  return t.balance(s, e);
}

/** Token indices [s, e] covering a node, or null when it carries no location. */
export function nodeTokens(t: Tokens, node: unknown): [number, number] | null {
  return extentTokens(t, extent(node));
}

/** UTF-16 span of a node; `fallback` when it carries no location. */
export function nodeSpan(t: Tokens, node: unknown, fallback?: Span): Span {
  const r = nodeTokens(t, node);
  return r ? t.span(r[0], r[1]) : (fallback ?? { start: 0, end: 0 });
}

/**
 * The parts of a node that follow its last location: the rest of a dotted name, `()`,
 * `IS NULL`, type tails. Names are counted in the source, not in the AST: the parser
 * rewrites some (`int` becomes `pg_catalog.int4`).
 */
function extendEnd(t: Tokens, e: number, type: string): number {
  switch (type) {
    case 'ColumnRef':
      return dotted(t, e);
    case 'FuncCall': {
      e = dotted(t, e);
      return t.word(e + 1) === '(' ? t.match(e + 1) : e;
    }
    case 'CollateClause':
      return t.word(e) === 'collate' && t.has(e + 1) ? dotted(t, e + 1) : e;
    case 'NullTest':
    case 'BooleanTest':
      while (['not', 'null', 'true', 'false', 'unknown'].includes(t.word(e + 1))) e++;
      return e;
    case 'TypeName': {
      e = dotted(t, e);
      for (;;) {
        const w = t.word(e + 1);
        if (w === 'precision' || w === 'varying') e++;
        else if (w === '[') e = t.match(e + 1);
        else if ((w === 'with' || w === 'without') && t.word(e + 2) === 'time' && t.word(e + 3) === 'zone') e += 3;
        else return e;
      }
    }
    default:
      return e;
  }
}

/** The last token of a dotted name starting at token `k`. */
function dotted(t: Tokens, k: number): number {
  while (t.word(k + 1) === '.' && t.has(k + 2)) k += 2;
  return k;
}
