/**
 * Source ranges for AST nodes. libpg-query gives each node only a start `location` (a UTF-8
 * byte offset, often of an operator rather than of the expression's first token) and no
 * end. We rebuild ranges from PostgreSQL's own token stream: take the smallest and largest
 * location in a subtree, widen to whole tokens, then to balanced `()`, `[]` and `CASE ... END`
 * so that `lower(x)` ends at its `)` and `(a + b) * c` starts at its `(`.
 */
import { ByteMap } from '../parse/positions';
import { NUMBER, PUNCT, WORD, scan, scanned, tokenWord, type LexToken, type Scanned } from './lexer';
import type { Span } from './types';

export type Tok = LexToken;

/** Bracket classes: an opener is odd, its closer the next even number. `case` ... `end` counts as a bracket. */
const NONE = 0;
const OPEN_PAREN = 1;
const CLOSE_PAREN = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const CASE = 5;
const END = 6;

/**
 * The statement's tokens (UTF-16 offsets) and lookups by AST location (UTF-8 bytes).
 *
 * Lexing is lazy: tokens are scanned only as far as a lookup needs, so a statement whose
 * facts need only its first tokens (most DDL, `INSERT ... VALUES`) is never lexed to its
 * end. Tokens are kept as parallel arrays of numbers; a token's word (its lower-cased text)
 * is sliced only when asked for.
 */
export class Tokens {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** lexer kind, +8 when the word is lower-cased */
  private readonly kinds: number[] = [];
  private readonly brackets: number[] = [];
  /** words sliced so far ('' = not yet: no token has an empty word) */
  private readonly words: string[] = [];
  private n = 0;
  private pos = 0;
  private done = false;
  private bytes: ByteMap | null = null;
  private readonly r: Scanned = scanned();
  /** scratch stack for match / balance */
  private readonly stack: number[] = [];

  constructor(readonly text: string) {}

  /** Scans one more token; false at the end of the text. */
  private more(): boolean {
    if (this.done) return false;
    const r = this.r;
    if (!scan(this.text, this.pos, r)) {
      this.done = true;
      return false;
    }
    this.starts.push(r.start);
    this.ends.push(r.end);
    this.kinds.push(r.lower ? r.kind + 8 : r.kind);
    this.brackets.push(bracketOf(this.text, r));
    this.words.push('');
    this.pos = r.end;
    this.n++;
    return true;
  }

  /** Token `i` exists (scanning up to it). */
  has(i: number): boolean {
    if (!(i >= 0)) return false;
    while (this.n <= i) if (!this.more()) return false;
    return true;
  }

  /** The number of tokens: scans the whole statement. */
  get length(): number {
    while (this.more());
    return this.n;
  }

  /** Index of the token containing UTF-8 byte offset `b` (an AST location), or of the first token after it; -1 if none. */
  at(b: number): number {
    if (!this.bytes) this.bytes = new ByteMap(this.text);
    return this.atUtf16(this.bytes.toUtf16(b));
  }

  /** Index of the token containing UTF-16 offset `o`, or of the first token after it; -1 if none. */
  atUtf16(o: number): number {
    const ends = this.ends;
    // scan until a token ends after `o`
    while (this.n === 0 || ends[this.n - 1] <= o) if (!this.more()) break;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= o) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.n ? lo : -1;
  }

  word(i: number): string {
    if (!this.has(i)) return '';
    const w = this.words[i];
    if (w !== '') return w;
    return (this.words[i] = tokenWord(this.text, this.starts[i], this.ends[i], this.kinds[i] >= 8));
  }

  /** Token `i` is a number. */
  isNumber(i: number): boolean {
    return this.has(i) && (this.kinds[i] & 7) === NUMBER;
  }

  /** UTF-16 start of token `i` (which must exist). */
  start(i: number): number {
    return this.has(i) ? this.starts[i] : 0;
  }

  /** Token `i`, clamped to the existing ones; -1 when there are none. */
  private clamp(i: number): number {
    if (i < 0) i = 0;
    if (this.has(i)) return i;
    return this.n - 1;
  }

  /** UTF-16 span of tokens i..j inclusive. */
  span(i: number, j: number): Span {
    const a = this.clamp(i);
    const b = this.clamp(j);
    if (a < 0 || b < 0) return { start: 0, end: 0 };
    return { start: this.starts[a], end: this.ends[b] };
  }

  /** Index of the token closing the group opened at `i` (which must be an opener), else `i`. */
  match(i: number): number {
    const stack = this.stack;
    stack.length = 0;
    const brackets = this.brackets;
    for (let k = i; this.has(k); k++) {
      const b = brackets[k];
      if (b === NONE) continue;
      if (b & 1) stack.push(b);
      else {
        if (stack.length === 0 || stack[stack.length - 1] !== b - 1) return i;
        stack.pop();
        if (stack.length === 0) return k;
      }
    }
    return i;
  }

  /** Index of the `(` that encloses token `i` (the nearest unmatched one before it), or -1. */
  enclosingOpen(i: number): number {
    this.has(i - 1);
    const brackets = this.brackets;
    let depth = 0;
    for (let k = Math.min(i, this.n) - 1; k >= 0; k--) {
      const b = brackets[k];
      if (b === CLOSE_PAREN) depth++;
      else if (b === OPEN_PAREN) {
        if (depth === 0) return k;
        depth--;
      }
    }
    return -1;
  }

  /** `balance(s, e)[0]`, without looking past `e`. */
  balanceStart(s: number, e: number): number {
    const stack = this.stack;
    stack.length = 0;
    const brackets = this.brackets;
    this.has(e);
    let unmatchedClosers = 0;
    for (let k = s; k <= e; k++) {
      const b = brackets[k];
      if (b === NONE) continue;
      if (b & 1) stack.push(b);
      else if (stack.length && stack[stack.length - 1] === b - 1) stack.pop();
      else if (stack.length === 0) unmatchedClosers++;
    }
    return this.widenStart(s, unmatchedClosers);
  }

  /** Moves `s` back over the openers of `unmatchedClosers` closers. */
  private widenStart(s: number, unmatchedClosers: number): number {
    const brackets = this.brackets;
    let depth = 0;
    while (unmatchedClosers > 0 && s > 0) {
      const b = brackets[--s];
      if (b === NONE) continue;
      if (!(b & 1)) depth++;
      else if (depth === 0) unmatchedClosers--;
      else depth--;
    }
    return s;
  }

  /** Widens [s, e] so that every bracket / CASE inside it is closed. */
  balance(s: number, e: number): [number, number] {
    const stack = this.stack;
    stack.length = 0;
    const brackets = this.brackets;
    this.has(e);
    let unmatchedClosers = 0;
    for (let k = s; k <= e; k++) {
      const b = brackets[k];
      if (b === NONE) continue;
      if (b & 1) stack.push(b);
      else if (stack.length && stack[stack.length - 1] === b - 1) stack.pop();
      else if (stack.length === 0) unmatchedClosers++;
    }
    while (stack.length && this.has(e + 1)) {
      const b = brackets[++e];
      if (b === NONE) continue;
      if (b & 1) stack.push(b);
      else {
        if (stack[stack.length - 1] !== b - 1) break;
        stack.pop();
      }
    }
    return [this.widenStart(s, unmatchedClosers), e];
  }
}

/** The bracket class of a scanned token: `(`, `)`, `[`, `]`, the words `case` and `end`. */
function bracketOf(text: string, r: Scanned): number {
  const len = r.end - r.start;
  if (r.kind === PUNCT) {
    if (len !== 1) return NONE;
    switch (text.charCodeAt(r.start)) {
      case 40:
        return OPEN_PAREN;
      case 41:
        return CLOSE_PAREN;
      case 91:
        return OPEN_BRACKET;
      case 93:
        return CLOSE_BRACKET;
      default:
        return NONE;
    }
  }
  if (r.kind !== WORD) return NONE;
  const s = r.start;
  if (len === 4) {
    return (text.charCodeAt(s) | 32) === 99 && (text.charCodeAt(s + 1) | 32) === 97 && (text.charCodeAt(s + 2) | 32) === 115 && (text.charCodeAt(s + 3) | 32) === 101 ? CASE : NONE;
  }
  if (len === 3) {
    return (text.charCodeAt(s) | 32) === 101 && (text.charCodeAt(s + 1) | 32) === 110 && (text.charCodeAt(s + 2) | 32) === 100 ? END : NONE;
  }
  return NONE;
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
