/**
 * Source ranges for AST nodes. libpg-query gives each node only a start `location` (a UTF-8
 * byte offset, often of an operator rather than of the expression's first token) and no
 * end. We rebuild ranges from PostgreSQL's own token stream: take the smallest and largest
 * location in a subtree, widen to whole tokens, then to balanced `()`, `[]` and `CASE ... END`
 * so that `lower(x)` ends at its `)` and `(a + b) * c` starts at its `(`.
 */
import { ByteMap } from '../parse/positions';
import { lex, type LexToken } from './lexer';
import type { Span } from './types';

export type Tok = LexToken;

const OPENERS: Record<string, string> = { '(': ')', '[': ']', case: 'end' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', end: 'case' };

/** The statement's tokens (UTF-16 offsets) and lookups by AST location (UTF-8 bytes). */
export class Tokens {
  readonly list: Tok[];
  private readonly bytes: ByteMap;

  constructor(readonly text: string) {
    this.bytes = new ByteMap(text);
    this.list = lex(text);
  }

  get length(): number {
    return this.list.length;
  }

  /** Index of the token containing UTF-8 byte offset `b` (an AST location), or of the first token after it; -1 if none. */
  at(b: number): number {
    return this.atUtf16(this.bytes.toUtf16(b));
  }

  /** Index of the token containing UTF-16 offset `o`, or of the first token after it; -1 if none. */
  atUtf16(o: number): number {
    const l = this.list;
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l[mid].end <= o) lo = mid + 1;
      else hi = mid;
    }
    return lo < l.length ? lo : -1;
  }

  word(i: number): string {
    return i >= 0 && i < this.list.length ? this.list[i].word : '';
  }

  /** UTF-16 span of tokens i..j inclusive. */
  span(i: number, j: number): Span {
    const l = this.list;
    const a = l[Math.max(0, Math.min(i, l.length - 1))];
    const b = l[Math.max(0, Math.min(j, l.length - 1))];
    if (!a || !b) return { start: 0, end: 0 };
    return { start: a.start, end: b.end };
  }

  /** Index of the token closing the group opened at `i` (which must be an opener), else `i`. */
  match(i: number): number {
    const stack: string[] = [];
    for (let k = i; k < this.list.length; k++) {
      const w = this.list[k].word;
      if (w in OPENERS) stack.push(w);
      else if (w in CLOSERS) {
        if (stack.length === 0 || stack[stack.length - 1] !== CLOSERS[w]) return i;
        stack.pop();
        if (stack.length === 0) return k;
      }
    }
    return i;
  }

  /** Index of the `(` that encloses token `i` (the nearest unmatched one before it), or -1. */
  enclosingOpen(i: number): number {
    let depth = 0;
    for (let k = i - 1; k >= 0; k--) {
      const w = this.list[k].word;
      if (w === ')') depth++;
      else if (w === '(') {
        if (depth === 0) return k;
        depth--;
      }
    }
    return -1;
  }

  /** Widens [s, e] so that every bracket / CASE inside it is closed. */
  balance(s: number, e: number): [number, number] {
    const stack: string[] = [];
    let unmatchedClosers = 0;
    for (let k = s; k <= e; k++) {
      const w = this.list[k].word;
      if (w in OPENERS) stack.push(w);
      else if (w in CLOSERS) {
        if (stack.length && stack[stack.length - 1] === CLOSERS[w]) stack.pop();
        else if (stack.length === 0) unmatchedClosers++;
      }
    }
    while (stack.length && e + 1 < this.list.length) {
      const w = this.list[++e].word;
      if (w in OPENERS) stack.push(w);
      else if (w in CLOSERS) {
        if (stack[stack.length - 1] !== CLOSERS[w]) break;
        stack.pop();
      }
    }
    let depth = 0;
    while (unmatchedClosers > 0 && s > 0) {
      const w = this.list[--s].word;
      if (w in CLOSERS) depth++;
      else if (w in OPENERS) {
        if (depth === 0) unmatchedClosers--;
        else depth--;
      }
    }
    return [s, e];
  }
}

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
export function extent(root: unknown): Extent | null {
  if (!root || typeof root !== 'object') return null;
  let min = Infinity;
  let max = -1;
  let maxType = '';
  const nodes: object[] = [root];
  const hints: string[] = [''];
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
    const loc = o.location;
    if (typeof loc === 'number' && loc >= 0) {
      if (loc < min) min = loc;
      // `>=`: on ties prefer the node found later, which is the inner one (e.g. the
      // ColumnRef rather than the ResTarget that shares its location)
      if (loc >= max) {
        max = loc;
        maxType = hint;
      }
    }
    for (const k in o) {
      const v = o[k];
      if (!v || typeof v !== 'object') continue;
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
export function nodeSpan(t: Tokens, node: unknown, fallback: Span = { start: 0, end: 0 }): Span {
  const r = nodeTokens(t, node);
  return r ? t.span(r[0], r[1]) : fallback;
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
      return t.word(e) === 'collate' && e + 1 < t.length ? dotted(t, e + 1) : e;
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
  while (t.word(k + 1) === '.' && k + 2 < t.length) k += 2;
  return k;
}
