/**
 * Language-neutral extraction: one parse, one query, then three passes over the captures.
 *
 *  1. SQL-looking variables (`q = "SELECT ..."`), indexed by name and scope;
 *  2. calls: tagged templates with a SQL tag, and the first string argument (or SQL variable)
 *     of a known SQL call;
 *  3. loose literals that plainly are SQL and were not taken by 1-2.
 *
 * Everything is synchronous and touches only the nodes a pass needs (the parse itself is
 * the dominant cost), so it can run on every keystroke.
 */
import type { Parser, Query } from '@vscode/tree-sitter-wasm';
import { Ancestry, type CallSite, type HostAdapter, type Node } from './adapter';
import { callMatcher, compileCalls, matchesCall, type CallMatcher } from './call-matcher';
import { SqlBuilder, hostEnd } from './mapping';
import { LOOSE_FIRST_WORDS, firstSqlWord, isVariableSqlCandidate, looksLikeSql, rewriteParams, startsLikeStatement } from './sqlText';
import type { EmbeddedOptions, EmbeddedRegion } from './types';

/** Tags that are SQL whatever the configured call list says. */
const BUILTIN_TAGS = ['sql', 'SQL', 'Prisma.sql'];
/** Tags that build fragments: a query runs only when such a template is awaited. */
const FRAGMENT_TAGS = new Set(['sql', 'SQL']);
/** A SQL argument is looked for among the first few arguments (`ctx`, `&dest` come first in Go). */
const MAX_ARGS = 3;

const matcherCache = new WeakMap<string[], { call: CallMatcher; tag: CallMatcher }>();

function matchersFor(calls: string[]): { call: CallMatcher; tag: CallMatcher } {
  let m = matcherCache.get(calls);
  if (!m) {
    m = { call: callMatcher(calls), tag: compileCalls([...BUILTIN_TAGS, ...calls]) };
    matcherCache.set(calls, m);
  }
  return m;
}

/** The callee as written, without whitespace; `?.` reads as `.`. */
function calleeText(text: string, callee: Node): string {
  const t = text.slice(callee.startIndex, callee.endIndex).replace(/\s+/g, '').replace(/\?\./g, '.');
  return t.length > 120 ? t.slice(t.length - 120) : t;
}

/** First word of literal content read straight from the host text (before any decoding). */
function quickFirstWord(text: string, contentStart: number): string {
  // leading `\n`/`\t` escapes count as whitespace here
  return firstSqlWord(text.slice(contentStart, contentStart + 400).replace(/\\[nrt]/g, '  '));
}

interface Built {
  sql: string;
  hostStart: number;
  segments?: number[];
  startsWithHole: boolean;
}

interface VarBinding {
  name: string;
  /** node id of the enclosing function (or class in Python), -1 for the file */
  scope: number;
  pos: number;
  value: Node;
  built: Built;
  uses: Array<{ site: CallSite; path: Node[] }>;
}

export function extractWith(
  text: string,
  parser: Parser,
  query: Query,
  adapter: HostAdapter,
  options: EmbeddedOptions,
  /** called with the same tree after extraction (host-file rules): one parse serves both */
  inspect?: (root: Node) => void,
): EmbeddedRegion[] {
  const tree = parser.parse(text);
  if (!tree) return [];
  try {
    const regions = run(text, tree.rootNode, query, adapter, options);
    inspect?.(tree.rootNode);
    return regions;
  } finally {
    tree.delete(); // WebAssembly memory is not garbage collected
  }
}

function run(text: string, root: Node, query: Query, adapter: HostAdapter, options: EmbeddedOptions): EmbeddedRegion[] {
  const calls: Array<{ node: Node; capture: string }> = [];
  const strings: Node[] = [];
  const binds: Node[] = [];
  for (const c of query.captures(root)) {
    if (c.name === 'str') {
      strings.push(c.node);
      const tag = adapter.genericTagOf?.(c.node, text);
      if (tag) calls.push({ node: tag, capture: 'gtag' });
    } else if (c.name === 'bind') binds.push(c.node);
    else calls.push({ node: c.node, capture: c.name });
  }

  const { call: callMatcher, tag: tagMatcher } = matchersFor(options.calls);
  const ancestry = new Ancestry(root);
  const pathTo = (node: Node): Node[] => ancestry.pathTo(node);
  const regions: EmbeddedRegion[] = [];
  /** ids of string expressions already turned into a region */
  const consumed = new Set<number>();

  const build = (node: Node, braces = false): Built | null => {
    const b = new SqlBuilder(text);
    const flags = adapter.decode(node, b);
    const built = b.finish();
    if (!built || built.sql.trim() === '') return null;
    const sql = rewriteParams(built.sql, { ...adapter.params, braces: braces || !!flags.braces }, b.holes + 1);
    return { ...built, sql, startsWithHole: b.startsWithHole };
  };

  /** ids of the scopes around the end of `path`, innermost first, -1 for the file */
  const scopes = (path: Node[]): number[] => {
    const chain: number[] = [];
    for (let i = path.length - 2; i >= 0; i--) if (adapter.isScope(path[i])) chain.push(path[i].id);
    chain.push(-1);
    return chain;
  };

  // 1. SQL-looking variables, by name and scope, in document order (captures come in order)
  const vars = new Map<string, VarBinding[]>();
  const names = new Set<string>();
  const key = (name: string, scope: number): string => `${scope}\u0000${name}`;
  for (const bind of binds) {
    for (const { name, value } of adapter.bindings(bind)) {
      if (!adapter.stringish(value)) continue;
      const lead = adapter.leadingContent(value);
      if (lead < 0) continue;
      // cheap rejection of most strings; the precise check runs on the decoded text
      const word = quickFirstWord(text, lead);
      if (word !== '' && !isVariableSqlCandidate(word)) continue;
      const built = build(value);
      if (!built || built.startsWithHole || !isVariableSqlCandidate(built.sql)) continue;
      const scope = scopes(pathTo(bind))[0];
      const list = vars.get(key(name, scope)) ?? [];
      list.push({ name, scope, pos: bind.startIndex, value, built, uses: [] });
      vars.set(key(name, scope), list);
      names.add(name);
    }
  }

  /** The SQL binding of `name` visible at the end of `path`: innermost scope first, latest before it. */
  const resolve = (name: string, path: Node[]): VarBinding | null => {
    const at = path[path.length - 1].startIndex;
    for (const scope of scopes(path)) {
      const list = vars.get(key(name, scope));
      if (!list) continue;
      for (let i = list.length - 1; i >= 0; i--) if (list[i].pos < at) return list[i];
    }
    return null;
  };

  const push = (built: Built, node: Node, r: Omit<EmbeddedRegion, 'sql' | 'hostStart' | 'segments'>): void => {
    consumed.add(node.id);
    const region: EmbeddedRegion = { sql: built.sql, hostStart: built.hostStart, ...r };
    if (built.segments) region.segments = built.segments;
    if (!region.loop) delete region.loop;
    regions.push(region);
  };

  /** `db.execute(sql`...`)`: a fragment handed to a known SQL call runs as a query */
  const passedToSqlCall = (path: Node[]): boolean => {
    const call = adapter.directArgumentOf?.(path);
    const site = call ? adapter.callSite(call, 'call') : null;
    if (!site || site.tagged) return false;
    const last = adapter.lastName(site.callee);
    return !FRAGMENT_TAGS.has(last) && matchesCall(callMatcher, last, () => calleeText(text, site.callee));
  };

  // 2. calls and tagged templates
  for (const { node, capture } of calls) {
    const site = adapter.callSite(node, capture);
    if (!site) continue;
    const last = adapter.lastName(site.callee);
    if (!last) continue;
    const full = (): string => calleeText(text, site.callee);
    const callRange = { callStart: site.callee.startIndex, callEnd: site.callee.endIndex };
    if (site.tagged) {
      if (!matchesCall(tagMatcher, last, full)) continue;
      const tpl = site.args[0];
      const built = tpl && build(tpl);
      if (!tpl || !built) continue;
      const path = pathTo(site.node);
      push(built, tpl, {
        origin: 'tagged-template',
        knownCall: !built.startsWithHole && startsLikeStatement(built.sql),
        callName: full(),
        ...callRange,
        loop: !FRAGMENT_TAGS.has(last) || site.awaited() || passedToSqlCall(path) ? adapter.findLoop(path) : undefined,
      });
      continue;
    }
    if (!matchesCall(callMatcher, last, full)) continue;
    let path: Node[] | null = null;
    const sitePath = (): Node[] => (path ??= pathTo(site.node));
    for (const arg of site.args.slice(0, MAX_ARGS)) {
      const candidates = adapter.candidates(arg);
      if (candidates.length > 0) {
        let loop: EmbeddedRegion['loop'];
        let loopDone = false;
        const braces = adapter.braceCalls?.has(last) ?? false;
        for (const cand of candidates) {
          const built = build(cand, braces);
          if (!built) continue;
          // `cache.Get("user:1")`, `el.text("Total")`: same names, not SQL
          if (!built.startsWithHole && !startsLikeStatement(built.sql)) continue;
          if (!loopDone) {
            loop = adapter.findLoop(sitePath());
            loopDone = true;
          }
          push(built, cand, { origin: 'call-argument', knownCall: !built.startsWithHole, callName: full(), ...callRange, loop });
        }
        break;
      }
      const id = adapter.identifierName(arg);
      const binding = id !== null && names.has(id) ? resolve(id, sitePath()) : null;
      if (binding) {
        binding.uses.push({ site, path: sitePath() });
        break;
      }
    }
  }

  // variables passed to known calls: one region per literal, attached to a call in a loop if any
  for (const list of vars.values()) {
    for (const v of list) {
      if (v.uses.length === 0 || consumed.has(v.value.id)) continue;
      let use = v.uses[0].site;
      let loop = adapter.findLoop(v.uses[0].path);
      for (let i = 1; i < v.uses.length && !loop; i++) {
        const l = adapter.findLoop(v.uses[i].path);
        if (l) {
          use = v.uses[i].site;
          loop = l;
        }
      }
      push(v.built, v.value, {
        origin: 'variable',
        knownCall: true,
        callName: calleeText(text, use.callee),
        callStart: use.callee.startIndex,
        callEnd: use.callee.endIndex,
        loop,
      });
    }
  }

  // 3. loose literals
  const seen = new Set<number>();
  for (const str of strings) {
    if (!LOOSE_FIRST_WORDS.has(quickFirstWord(text, adapter.literalContentStart(str)))) continue;
    const root = adapter.stringRoot(pathTo(str));
    if (!root || consumed.has(root.id) || seen.has(root.id)) continue;
    seen.add(root.id);
    const built = build(root);
    if (!built || built.startsWithHole || !looksLikeSql(built.sql)) continue;
    push(built, root, { origin: 'string', knownCall: false, callName: '', callStart: root.startIndex, callEnd: root.endIndex });
  }

  regions.sort((a, b) => a.hostStart - b.hostStart);
  demoteNested(regions);
  return regions;
}

/**
 * A region inside another region's text (a `sql` fragment interpolated into a query) is a
 * fragment: it is not a statement of its own and it does not run by itself.
 */
function demoteNested(regions: EmbeddedRegion[]): void {
  const open: number[] = []; // ends of enclosing regions, innermost last
  for (const r of regions) {
    const end = hostEnd(r);
    while (open.length && open[open.length - 1] <= r.hostStart) open.pop();
    if (open.length && end <= open[open.length - 1]) {
      r.knownCall = false;
      delete r.loop;
    }
    open.push(end);
  }
}
