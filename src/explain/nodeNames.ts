/**
 * Node names in both directions, following PostgreSQL's explain.c: the JSON format gives
 * "Node Type" plus separate fields (strategy, partial mode, join type, operation, parallel
 * awareness), the text format folds them into one name ("Parallel Seq Scan on t",
 * "Finalize HashAggregate", "Hash Left Join", "Index Scan Backward using i on t x").
 * Both parsers must produce the same model, so composition and decomposition live together.
 */

export interface NodeIdentity {
  nodeType: string;
  baseType: string;
  parallelAware: boolean;
  asyncCapable: boolean;
  strategy: string | null;
  partialMode: string | null;
  operation: string | null;
  command: string | null;
  scanDirection: string | null;
  joinType: string | null;
  relation: string | null;
  schema: string | null;
  alias: string | null;
  index: string | null;
  cteName: string | null;
  functionName: string | null;
}

export function emptyIdentity(baseType: string): NodeIdentity {
  return {
    nodeType: baseType, baseType, parallelAware: false, asyncCapable: false, strategy: null, partialMode: null,
    operation: null, command: null, scanDirection: null, joinType: null, relation: null, schema: null, alias: null,
    index: null, cteName: null, functionName: null,
  };
}

const AGG_NAMES: Record<string, string> = { Plain: 'Aggregate', Sorted: 'GroupAggregate', Hashed: 'HashAggregate', Mixed: 'MixedAggregate' };
const AGG_STRATEGY: Record<string, string> = { Aggregate: 'Plain', GroupAggregate: 'Sorted', HashAggregate: 'Hashed', MixedAggregate: 'Mixed' };
const JOIN_PREFIX: Record<string, string> = { 'Nested Loop': 'Nested Loop', 'Hash Join': 'Hash', 'Merge Join': 'Merge' };
const FOREIGN_NAMES: Record<string, string> = { Select: 'Foreign Scan', Insert: 'Foreign Insert', Update: 'Foreign Update', Delete: 'Foreign Delete' };

/** The text-format name for a node described by JSON fields (explain.c's pname, plus "Parallel "/"Async " and the join type). */
export function composeNodeType(id: Omit<NodeIdentity, 'nodeType'> & { customProvider?: string | null }): string {
  let name = id.baseType;
  switch (id.baseType) {
    case 'Aggregate': {
      name = AGG_NAMES[id.strategy ?? 'Plain'] ?? 'Aggregate';
      if (id.partialMode === 'Partial' || id.partialMode === 'Finalize') name = `${id.partialMode} ${name}`;
      break;
    }
    case 'SetOp':
      name = id.strategy === 'Hashed' ? 'HashSetOp' : 'SetOp';
      if (id.command) name += ` ${id.command}`;
      break;
    case 'ModifyTable':
      name = id.operation ?? 'ModifyTable';
      break;
    case 'Foreign Scan':
      name = FOREIGN_NAMES[id.operation ?? 'Select'] ?? 'Foreign Scan';
      break;
    case 'Custom Scan':
      name = id.customProvider ? `Custom Scan (${id.customProvider})` : 'Custom Scan';
      break;
    case 'Nested Loop':
    case 'Hash Join':
    case 'Merge Join': {
      const jt = id.joinType ?? 'Inner';
      const prefix = JOIN_PREFIX[id.baseType];
      // explain.c: inner joins print " Join" except Nested Loop; others print " <Type> Join".
      name = jt !== 'Inner' ? `${prefix} ${jt} Join` : id.baseType === 'Nested Loop' ? 'Nested Loop' : `${prefix} Join`;
      break;
    }
    default:
      break;
  }
  if (id.asyncCapable) name = `Async ${name}`;
  if (id.parallelAware) name = `Parallel ${name}`;
  return name;
}

/** Types whose text line is just the name. Longest first so prefixes do not shadow. */
const PLAIN_TYPES = [
  'Incremental Sort', 'Recursive Union', 'Merge Append', 'Gather Merge', 'Materialize', 'ProjectSet', 'WindowAgg',
  'BitmapAnd', 'BitmapOr', 'LockRows', 'Memoize', 'Append', 'Gather', 'Unique', 'Result', 'Limit', 'Group', 'Sort', 'Hash',
];

/** Scans printed as "<type> on <target>". Longest first. */
const TARGET_SCANS = [
  'Named Tuplestore Scan', 'Table Function Scan', 'Bitmap Heap Scan', 'Tid Range Scan', 'WorkTable Scan', 'Function Scan',
  'Subquery Scan', 'Sample Scan', 'Values Scan', 'Foreign Scan', 'Foreign Insert', 'Foreign Update', 'Foreign Delete',
  'Seq Scan', 'CTE Scan', 'Tid Scan',
];

const JOIN_TYPES = 'Left|Right Anti|Right Semi|Right|Full|Semi|Anti';
const JOIN_RE = new RegExp(`^(Nested Loop|Hash|Merge)(?: (${JOIN_TYPES}))? Join$|^Nested Loop$`);

/**
 * Splits a text-format node name ("Parallel Index Only Scan Backward using i on s.t x")
 * into the JSON-style fields. Unknown names are kept whole as the node type (best effort:
 * a newer PostgreSQL may add node types), and `known` says so.
 */
export function parseNodeName(raw: string): NodeIdentity & { known: boolean } {
  let rest = raw.trim();
  let parallelAware = false;
  let asyncCapable = false;
  if (rest.startsWith('Parallel ')) { parallelAware = true; rest = rest.slice(9); }
  if (rest.startsWith('Async ')) { asyncCapable = true; rest = rest.slice(6); }
  const done = (id: NodeIdentity): NodeIdentity & { known: boolean } => {
    id.parallelAware = parallelAware;
    id.asyncCapable = asyncCapable;
    id.nodeType = composeNodeType(id);
    return { ...id, known: true };
  };

  let m = /^(?:(Partial|Finalize) )?(Aggregate|GroupAggregate|HashAggregate|MixedAggregate)$/.exec(rest);
  if (m) {
    const id = emptyIdentity('Aggregate');
    id.strategy = AGG_STRATEGY[m[2]];
    id.partialMode = m[1] ?? 'Simple';
    return done(id);
  }
  m = /^(HashSetOp|SetOp)(?: (Intersect All|Intersect|Except All|Except))?$/.exec(rest);
  if (m) {
    const id = emptyIdentity('SetOp');
    id.strategy = m[1] === 'HashSetOp' ? 'Hashed' : 'Sorted';
    id.command = m[2] ?? null;
    return done(id);
  }
  m = /^(Insert|Update|Delete|Merge) on (.+)$/.exec(rest);
  if (m) {
    const id = emptyIdentity('ModifyTable');
    id.operation = m[1];
    applyTarget(id, m[2], 'relation');
    return done(id);
  }
  m = JOIN_RE.exec(rest);
  if (m) {
    const base = m[1] === undefined || m[1] === 'Nested Loop' ? 'Nested Loop' : `${m[1]} Join`;
    const id = emptyIdentity(base);
    id.joinType = m[2] ?? 'Inner';
    return done(id);
  }
  m = /^(Index Only Scan|Index Scan)( Backward)? using (.+)$/.exec(rest);
  if (m) {
    const id = emptyIdentity(m[1]);
    if (m[2]) id.scanDirection = 'Backward';
    const onAt = findUnquoted(m[3], ' on ');
    if (onAt < 0) id.index = unquoteIdent(m[3]);
    else {
      id.index = unquoteIdent(m[3].slice(0, onAt));
      applyTarget(id, m[3].slice(onAt + 4), 'relation');
    }
    return done(id);
  }
  m = /^Bitmap Index Scan on (.+)$/.exec(rest);
  if (m) {
    const id = emptyIdentity('Bitmap Index Scan');
    id.index = unquoteIdent(m[1]);
    return done(id);
  }
  m = /^Custom Scan \((.+?)\)(?: on (.+))?$/.exec(rest);
  if (m) {
    const id = emptyIdentity('Custom Scan');
    if (m[2]) applyTarget(id, m[2], 'relation');
    const out = done(id);
    out.nodeType = `${parallelAware ? 'Parallel ' : ''}${asyncCapable ? 'Async ' : ''}Custom Scan (${m[1]})`;
    return out;
  }
  for (const scan of TARGET_SCANS) {
    if (rest === scan || rest.startsWith(`${scan} on `)) {
      const foreign = scan.startsWith('Foreign ');
      const id = emptyIdentity(foreign ? 'Foreign Scan' : scan);
      if (foreign) id.operation = scan === 'Foreign Scan' ? 'Select' : scan.slice(8);
      if (rest !== scan) applyTarget(id, rest.slice(scan.length + 4), targetKind(scan));
      return done(id);
    }
  }
  for (const plain of PLAIN_TYPES) {
    if (rest === plain) return done(emptyIdentity(plain));
  }
  const unknown = emptyIdentity(rest);
  unknown.parallelAware = parallelAware;
  unknown.asyncCapable = asyncCapable;
  unknown.nodeType = raw.trim();
  return { ...unknown, known: false };
}

/** Whether a text line's name starts like a node we know (used to find the root without costs). */
export function looksLikeNodeName(raw: string): boolean {
  return parseNodeName(raw).known;
}

type TargetKind = 'relation' | 'cte' | 'function' | 'alias';

function targetKind(scan: string): TargetKind {
  if (scan === 'CTE Scan' || scan === 'WorkTable Scan' || scan === 'Named Tuplestore Scan') return 'cte';
  if (scan === 'Function Scan' || scan === 'Table Function Scan') return 'function';
  if (scan === 'Subquery Scan' || scan === 'Values Scan') return 'alias';
  return 'relation';
}

/**
 * "on <object> [<alias>]" where object may be schema-qualified (VERBOSE) and either part
 * quoted. EXPLAIN prints the alias only when it differs from the object's name; JSON always
 * has "Alias", so the alias defaults to the object name here too.
 */
function applyTarget(id: NodeIdentity, target: string, kind: TargetKind): void {
  const words = splitIdentifiers(target.trim());
  if (words.length === 0) return;
  if (kind === 'alias') {
    id.alias = words[0].parts.join('.');
    return;
  }
  const object = words[0].parts;
  const name = object[object.length - 1];
  const schema = object.length > 1 ? object.slice(0, -1).join('.') : null;
  const alias = words.length > 1 ? words[1].parts.join('.') : name;
  if (kind === 'relation') { id.relation = name; id.schema = schema; }
  else if (kind === 'cte') id.cteName = name;
  else { id.functionName = name; id.schema = schema; }
  id.alias = alias;
}

interface QualifiedName { parts: string[] }

/** Splits `"my schema".t "x y"` into [["my schema","t"], ["x y"]]. */
function splitIdentifiers(text: string): QualifiedName[] {
  const out: QualifiedName[] = [];
  let i = 0;
  let current: string[] = [];
  while (i < text.length) {
    const c = text[i];
    if (c === ' ') {
      if (current.length) { out.push({ parts: current }); current = []; }
      i++;
    } else if (c === '.') {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length) {
        if (text[j] === '"') {
          if (text[j + 1] === '"') { s += '"'; j += 2; continue; }
          break;
        }
        s += text[j++];
      }
      current.push(s);
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ' ' && text[j] !== '.' && text[j] !== '"') j++;
      current.push(text.slice(i, j));
      i = j;
    }
  }
  if (current.length) out.push({ parts: current });
  return out;
}

function unquoteIdent(text: string): string {
  const words = splitIdentifiers(text.trim());
  return words.length ? words[0].parts.join('.') : text.trim();
}

/** Index of `needle` in `text` outside double quotes, or -1. */
function findUnquoted(text: string, needle: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (!quoted && text.startsWith(needle, i)) return i;
  }
  return -1;
}
