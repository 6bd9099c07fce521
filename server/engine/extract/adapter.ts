/**
 * What the language-neutral driver needs to know about one host language, plus small
 * tree helpers shared by the adapters. Each adapter (javascript.ts, python.ts, go.ts) answers
 * these questions with its grammar's node types; the driver (driver.ts) does the rest.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { SqlBuilder } from './mapping';
import type { ParamStyles } from './sqlText';
import type { LoopInfo } from './types';

export type { Node };

export interface CallSite {
  /** the call expression; loop detection starts here */
  node: Node;
  /** the callee without `await`, `!`, type arguments or parentheses: its range and name */
  callee: Node;
  /** positional arguments in order; for a tagged template, the template */
  args: Node[];
  tagged: boolean;
  /** the tagged template is awaited (JS/TS): a fragment tag then runs a query (asked lazily) */
  awaited: () => boolean;
}

export interface DecodeFlags {
  /** the text is a str.format() template: `{...}` fields are parameters */
  braces?: boolean;
}

export interface HostAdapter {
  /** tree-sitter query capturing @call (and @gtag), @str and @bind nodes */
  readonly query: string;
  /** parameter markers rewritten in every region of this language (braces: per region) */
  readonly params: Omit<ParamStyles, 'braces'>;
  /** calls whose SQL uses `{}` fields, e.g. psycopg's `sql.SQL("SELECT * FROM {}")` */
  readonly braceCalls?: ReadonlySet<string>;
  /** a call (capture 'call') or, for capture 'gtag', the node genericTagOf() returned */
  callSite(node: Node, capture: string): CallSite | null;
  /** the call whose argument list directly holds the end of `path` (`db.execute(sql`...`)`), if any */
  directArgumentOf?(path: Node[]): Node | null;
  /** TypeScript `tag<T>`...``: the expression to pass to callSite as 'gtag', when `str` is such a template */
  genericTagOf?(str: Node, text: string): Node | null;
  /** the callee's last member name (`query` for `pool.query`), '' when there is none */
  lastName(callee: Node): string;
  /** expressions in one call argument that can be read as SQL text (usually 0 or 1) */
  candidates(arg: Node): Node[];
  /** the name, when the argument is a plain identifier */
  identifierName(arg: Node): string | null;
  /** the expression can be decoded as text (a literal, a concatenation with a literal, ...) */
  stringish(node: Node): boolean;
  /** host offset where the first literal's content starts; -1 when a non-literal comes first */
  leadingContent(node: Node): number;
  /** appends the text of a stringish expression to `b` */
  decode(node: Node, b: SqlBuilder): DecodeFlags;
  /** host offset where a captured literal's content starts */
  literalContentStart(str: Node): number;
  /** the whole string expression a captured literal (the end of `path`) belongs to; null to ignore it */
  stringRoot(path: Node[]): Node | null;
  /** `name = value` pairs declared or assigned by a captured @bind node */
  bindings(node: Node): Array<{ name: string; value: Node }>;
  /** functions (and other nodes) that open a variable scope */
  isScope(node: Node): boolean;
  /** innermost loop around the call at the end of `path`, inside the same function */
  findLoop(path: Node[]): LoopInfo | undefined;
}

/**
 * Root-to-node chains of ancestors for one tree. tree-sitter nodes have no parent pointer:
 * each `.parent` re-descends from the root, so climbing k levels with `.parent` costs k
 * descents (quadratic in a 5000-piece concatenation). One descent gives every ancestor at
 * once; the root's children (thousands in a big file, scanned linearly by tree-sitter) are
 * looked up here by binary search.
 */
export class Ancestry {
  private kids: Node[] | null = null;
  private starts: number[] = [];

  constructor(private readonly root: Node) {}

  /** root..node, both included; [node] alone if the tree is inconsistent */
  pathTo(node: Node): Node[] {
    const path = [this.root];
    let n = this.root;
    if (n.id !== node.id) {
      const top = this.topLevel(node);
      if (top) {
        path.push(top);
        n = top;
      }
    }
    while (n.id !== node.id) {
      const next = n.childWithDescendant(node);
      if (!next || next.id === n.id) break;
      path.push(next);
      n = next;
    }
    return path[path.length - 1].id === node.id ? path : [node];
  }

  /** The root's child containing `node`, by binary search on start offsets. */
  private topLevel(node: Node): Node | null {
    if (!this.kids) {
      this.kids = this.root.children.filter((k): k is Node => !!k);
      this.starts = this.kids.map((k) => k.startIndex);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= node.startIndex) lo = mid;
      else hi = mid - 1;
    }
    // zero-width siblings can share a start: step back to the one that really contains it
    for (let i = lo; i >= 0 && i >= lo - 4; i--) {
      const k = this.kids[i];
      if (k && k.startIndex <= node.startIndex && k.endIndex >= node.endIndex && (k.id === node.id || k.childWithDescendant(node))) return k;
    }
    return null;
  }
}

/** Named children without comments (comments are named nodes in every grammar). */
export function namedKids(node: Node): Node[] {
  const out: Node[] = [];
  for (const c of node.namedChildren) if (c && c.type !== 'comment') out.push(c);
  return out;
}

/** Strips wrappers that do not change a value: `(x)`, `x as T`, `x!`, ... */
export function unwrap(node: Node, wrappers: ReadonlySet<string>): Node {
  let n = node;
  for (let guard = 0; guard < 64 && wrappers.has(n.type); guard++) {
    const kids = namedKids(n);
    if (kids.length === 0) break;
    n = kids[0];
  }
  return n;
}

/**
 * Leaves of a `+` chain in source order, without recursion (generated code concatenates
 * thousands of pieces, which would overflow a recursive walk).
 */
export function flatten(node: Node, isConcat: (n: Node) => boolean, unwrapLeaf: (n: Node) => Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [node];
  while (stack.length) {
    const n = unwrapLeaf(stack.pop()!);
    if (isConcat(n)) {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (right) stack.push(right);
      if (left) stack.push(left);
    } else out.push(n);
  }
  return out;
}

/** The binary operator of a node ('' when none). */
export function operatorOf(node: Node): string {
  return node.childForFieldName('operator')?.type ?? '';
}

export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

export function within(inner: Node, outer: Node | null | undefined): boolean {
  return !!outer && inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

export function loopInfo(kind: string, node: Node): LoopInfo {
  return { kind, start: node.startIndex, end: node.endIndex, line: node.startPosition.row };
}

export interface Special {
  start: number;
  end: number;
  /** decoded text of an escape; null for an interpolation (becomes a placeholder) */
  value: string | null;
}

/**
 * Appends literal content [start, end) to `b`: text between the specials verbatim, escapes
 * decoded, interpolations as same-width placeholders. Specials are in source order.
 */
export function decodeContent(b: SqlBuilder, start: number, end: number, specials: Special[]): void {
  let pos = start;
  for (const s of specials) {
    if (s.start < pos || s.end > end) continue; // malformed tree (error recovery): ignore
    b.verbatim(pos, s.start);
    if (s.value === null) b.hole(s.start, s.end, true);
    else b.decoded(s.value, s.start, s.end);
    pos = s.end;
  }
  b.verbatim(pos, end);
}
