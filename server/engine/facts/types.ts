/**
 * What a statement does, reduced from libpg-query's AST once and shared by every rule,
 * complexity, code lens and the index advisor.
 *
 * Conventions:
 * - Offsets are UTF-16 code units relative to the statement text (what `RuleContext.text`
 *   holds); a `Span` is half-open `[start, end)`.
 * - The statement is cut into query blocks: one per SELECT (each set-operation node and each
 *   of its branches, each subquery, each CTE body) and one per UPDATE / DELETE / INSERT /
 *   MERGE. Everything else (relations, predicates, sort keys, ...) points at its block by id,
 *   so a rule can ask "in this SELECT" questions without walking the tree.
 * - Lists are in walk order: a block's WITH, then its FROM items (with their JOIN
 *   conditions and subqueries), select list, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT; a
 *   subquery's facts come where the subquery is met.
 */

export interface Span {
  start: number;
  end: number;
}

export type StatementKind =
  | 'select'
  | 'insert'
  | 'update'
  | 'delete'
  | 'merge'
  | 'create-index'
  | 'alter-table'
  | 'drop-index'
  | 'create-table'
  | 'other';

/**
 * A statement that wraps a query. The query's facts are extracted as usual; rules that care
 * where rows go (e.g. `select-star`) look at this.
 */
export type Wrapper = 'explain' | 'prepare' | 'declare-cursor' | 'create-table-as' | 'create-view' | 'copy';

export interface Facts {
  /** top-level statement kind (of the wrapped query for EXPLAIN, PREPARE, CREATE VIEW, ...) */
  kind: StatementKind;
  /** libpg-query's node type of the statement as written, e.g. 'SelectStmt', 'ExplainStmt' */
  astKind: string;
  wrapper?: Wrapper;
  /** the statement's first token (e.g. `SELECT`, `WITH`, `CREATE`), for statement-wide reports */
  head: Span;
  /** the whole statement */
  span: Span;
  blocks: QueryBlock[];
  relations: Relation[];
  joins: Join[];
  predicates: Predicate[];
  /** ORDER BY keys of query blocks (not of window definitions or ordered aggregates) */
  sorts: SortKey[];
  /** blocks that are subqueries (in FROM or in an expression), with their depth and correlation */
  subqueries: Subquery[];
  ctes: Cte[];
  setOperations: SetOperation[];
  aggregates: FunctionUse[];
  windows: FunctionUse[];
  /** every OR, with its number of branches */
  ors: OrGroup[];
  /** `*` and `t.*` in select lists and RETURNING lists */
  stars: Star[];
  /** UPDATE / DELETE / INSERT / MERGE anywhere in the statement (top level or in a CTE) */
  writes: Write[];
  ddl: DdlAction[];
  /** distinct parameter numbers (`$1` ...), sorted */
  params: number[];
  /**
   * true when the AST was nested deeper than the extractor follows (see MAX_DEPTH): facts
   * below that depth are missing, so "nothing found" is not proof of absence.
   */
  truncated: boolean;
}

export type BlockRole =
  /** the statement's own query (also the query inside EXPLAIN, CREATE VIEW, ...) */
  | 'statement'
  /** a branch of a UNION / INTERSECT / EXCEPT */
  | 'set-branch'
  /** the body of a WITH query */
  | 'cte'
  /** a subquery in FROM (`(SELECT ...) AS x`, also LATERAL) */
  | 'from'
  /** a subquery in an expression (EXISTS, IN, scalar, ARRAY, ...) */
  | 'sublink'
  /** the SELECT or VALUES feeding an INSERT */
  | 'insert-source';

export type SublinkKind = 'exists' | 'in' | 'any' | 'all' | 'scalar' | 'array' | 'row-compare' | 'other';

export interface QueryBlock {
  id: number;
  /** the enclosing block, null for the statement's outermost block */
  parent: number | null;
  role: BlockRole;
  /** what the block does: a SELECT (also VALUES and set operations) or a data-modifying statement */
  statement: 'select' | 'update' | 'delete' | 'insert' | 'merge';
  /** for role 'sublink' */
  sublink?: SublinkKind;
  /** for role 'sublink': the subquery is under NOT (`NOT EXISTS`, `NOT IN`) */
  negated?: boolean;
  /** for role 'from' */
  lateral?: boolean;
  /** for role 'cte' */
  cte?: string;
  /**
   * nesting depth as a subquery: 0 for the statement's query, its set-operation branches
   * and CTE bodies; +1 for each enclosing subquery (FROM or expression)
   */
  depth: number;
  span: Span;
  /** the block's first keyword (`SELECT`, `VALUES`, `UPDATE`, ...) */
  head: Span;
  /** set for a UNION / INTERSECT / EXCEPT node; its branches are blocks with role 'set-branch' */
  setOp?: { op: 'union' | 'intersect' | 'except'; all: boolean; left: number; right: number };
  /** a VALUES list */
  values: boolean;
  /** for a VALUES list: its number of rows */
  valuesRows?: number;
  /** top-level items of FROM (also UPDATE ... FROM and DELETE ... USING), in order */
  from: FromItem[];
  /** number of select-list (or RETURNING) entries */
  targetCount: number;
  /** every select-list entry is a constant (e.g. `SELECT 1 FROM ...`) */
  constantTargets: boolean;
  distinct: 'none' | 'distinct' | 'on';
  where?: Span;
  groupBy: boolean;
  having: boolean;
  /** has an aggregate call in its select list or HAVING (window calls excluded) */
  aggregates: boolean;
  /** ORDER BY keys (indices into Facts.sorts are not needed: filter sorts by block) */
  orderBy?: Span;
  limit?: LimitClause;
  offset?: LimitClause;
  locking: Locking[];
  /** references a column of an enclosing block */
  correlated: boolean;
  /** names (qualifier or column) of the outer references, for messages */
  outerRefs: string[];
  /**
   * Some WHERE predicate relates FROM items through columns nobody can attribute without a
   * schema (unqualified names): FromItem.component is then a lower bound on connectivity.
   */
  linkUnknown: boolean;
}

export interface FromItem {
  /** indices into Facts.relations: one for a plain item, several for a JOIN tree */
  relations: number[];
  /** names visible from this item (aliases, or relation names when unaliased) */
  names: string[];
  span: Span;
  /**
   * FROM items of one block that WHERE (or LATERAL references) connect share a component:
   * the index of the first item of that component. Items in different components are
   * cross-joined.
   */
  component: number;
}

export type RelationKind = 'table' | 'cte' | 'subquery' | 'values' | 'function';

export interface Relation {
  block: number;
  kind: RelationKind;
  /** table / CTE / function name as written (without schema) */
  name?: string;
  schema?: string;
  alias?: string;
  /** the name other clauses use for it: alias, else the relation name */
  refName?: string;
  /** the name (and alias) as written */
  span: Span;
  /** index into the block's `from` */
  fromItem: number;
  lateral: boolean;
  /** TABLESAMPLE */
  tablesample: boolean;
  /** `ONLY t` */
  only: boolean;
  /** for kind 'subquery' / 'values': the block of its query */
  subquery?: number;
  /**
   * the relation returns at most one row whatever the data: a FROM-less or aggregate-only
   * subquery, a one-row VALUES
   */
  singleRow: boolean;
}

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross' | 'comma';

export interface Join {
  block: number;
  /** 'cross' is an explicit CROSS JOIN; 'comma' is a comma in FROM */
  type: JoinType;
  natural: boolean;
  using?: string[];
  /** the ON condition */
  condition?: Span;
  /** names visible on each side */
  left: string[];
  right: string[];
  /** the right-hand item */
  span: Span;
}

export type Clause = 'where' | 'join' | 'having' | 'select' | 'order' | 'group' | 'returning' | 'set' | 'values' | 'from' | 'other';

export type OperandKind =
  /** a bare column reference (`x`, `t.x`) */
  | 'column'
  /** a literal, possibly cast (`'2024-01-01'::date`) */
  | 'constant'
  /** literal NULL, possibly cast */
  | 'null'
  /** `$n`, possibly cast */
  | 'param'
  /** a subquery */
  | 'subquery'
  /** a parenthesized list (`IN (1, 2)`, the bounds of BETWEEN) */
  | 'list'
  /** anything else: see `wrapper` and `columns` */
  | 'expression';

/** How the columns inside an 'expression' operand are wrapped (the outermost construct). */
export type WrapperKind = 'function' | 'cast' | 'arithmetic' | 'operator' | 'other';

export interface ColumnUse {
  qualifier?: string;
  name: string;
  span: Span;
  /**
   * 'local': a column of the predicate's own block (or an unqualified name in a block with
   * FROM items: assumed local); 'outer': of an enclosing block (correlation)
   */
  scope: 'local' | 'outer';
}

export interface Operand {
  kind: OperandKind;
  span: Span;
  /** column references inside it, not counting those inside subqueries */
  columns: ColumnUse[];
  /** for kind 'expression' */
  wrapper?: WrapperKind;
  /** function name, cast type or operator, for messages (e.g. 'lower', 'date', '+') */
  wrapperName?: string;
  /** for kind 'constant': the value as PostgreSQL read it (string or number text) */
  value?: string;
  /** for kind 'list': the number of entries */
  items?: number;
}

export type PredicateKind =
  /** `=`, `<>`, `<`, `<=`, `>`, `>=` */
  | 'comparison'
  /** LIKE / ILIKE (operator 'like' or 'ilike') */
  | 'like'
  /** `IN (list)` */
  | 'in-list'
  /** `IN (subquery)`, `op ANY (subquery)`, `op ALL (subquery)`; operator 'in', 'any' or 'all' */
  | 'sublink'
  /** `op ANY (array)` / `op ALL (array)` */
  | 'array'
  | 'between'
  /** `IS [NOT] NULL` */
  | 'null-test'
  /** `IS [NOT] DISTINCT FROM` */
  | 'distinct'
  /** any other binary operator (`@>`, `&&`, `~`, ...) */
  | 'other';

export interface Predicate {
  block: number;
  clause: Clause;
  kind: PredicateKind;
  /** normalized: '=', '<>', '<', 'like', 'ilike', 'in', 'between', 'is null', 'any', 'all', ... */
  operator: string;
  /** for `any` / `all` / `array`: the comparison operator applied ('=' in `= ANY`) */
  compare?: string;
  /** NOT LIKE, NOT IN, NOT BETWEEN, IS NOT NULL, IS NOT DISTINCT FROM, NOT (x IN (...)) */
  negated: boolean;
  span: Span;
  /** the operator token(s), e.g. `=`, `NOT LIKE`, `NOT IN`, `IS NOT NULL` */
  opSpan: Span;
  left: Operand;
  /** absent for null tests */
  right?: Operand;
  /** under an OR branch inside its clause */
  underOr: boolean;
  /** for kind 'like' */
  like?: LikePattern;
}

export interface LikePattern {
  /** the constant text the pattern starts with, when known (`'%' || $1` -> '%') */
  prefix?: string;
  /** the pattern starts with `%` or `_`: no B-tree prefix range */
  leadingWildcard: boolean;
  /** the whole pattern is one parameter: unknown until run time */
  param: boolean;
}

export interface SortKey {
  block: number;
  span: Span;
  /** the key expression */
  expr: Operand;
  direction: 'asc' | 'desc' | 'default' | 'using';
  nulls: 'first' | 'last' | 'default';
  /** `random()` (or another volatile random source): a full sort of every row */
  random: boolean;
  /** an output-column number (`ORDER BY 2`) */
  position?: number;
}

export interface LimitClause {
  kind: 'constant' | 'param' | 'expression';
  /** for kind 'constant' */
  value?: number;
  /** the value expression */
  span: Span;
  /** keyword through value, e.g. `LIMIT 10`, `OFFSET $1`, `FETCH FIRST 5 ROWS ONLY` */
  clause: Span;
}

export interface Locking {
  strength: 'update' | 'no key update' | 'share' | 'key share';
  wait: 'block' | 'skip locked' | 'nowait';
}

export interface Subquery {
  block: number;
  /** the block it sits in */
  parent: number;
  context: 'from' | SublinkKind;
  negated: boolean;
  lateral: boolean;
  depth: number;
  correlated: boolean;
  span: Span;
  /** for an expression subquery: the clause it sits in (e.g. 'select' for a scalar subquery in the select list) */
  clause?: Clause;
}

export interface Cte {
  name: string;
  /** the CTE name in WITH */
  span: Span;
  /** the block of its body */
  block: number;
  /** the block whose WITH defines it */
  definedIn: number;
  /** refers to itself (under WITH RECURSIVE); merely being listed under RECURSIVE does not count */
  recursive: boolean;
  materialized: 'default' | 'always' | 'never';
  /** how many FROM items refer to it, not counting its own recursive reference */
  references: number;
  /** what its body is */
  body: 'select' | 'insert' | 'update' | 'delete' | 'merge';
  /** a CYCLE clause marks rows seen before, so the recursion stops on cyclic data */
  cycle: boolean;
}

export interface SetOperation {
  block: number;
  op: 'union' | 'intersect' | 'except';
  all: boolean;
  /** the UNION / INTERSECT / EXCEPT keyword (and ALL / DISTINCT) */
  span: Span;
}

export interface FunctionUse {
  block: number;
  clause: Clause;
  /** lower-cased, without schema */
  name: string;
  span: Span;
  distinct: boolean;
  /** `count(*)` */
  star: boolean;
  /** FILTER (WHERE ...) */
  filter: boolean;
}

export interface OrGroup {
  block: number;
  clause: Clause;
  branches: number;
  span: Span;
  /** a top-level conjunct of its block's WHERE (the whole WHERE, or one operand of its top AND) */
  top?: boolean;
  /** one entry per branch, in order (see OrBranch) */
  parts?: OrBranch[];
}

/** One branch of an OR: which predicates it holds. */
export interface OrBranch {
  /** the predicates recorded while walking the branch: `Facts.predicates[first .. end)` */
  first: number;
  end: number;
  /**
   * the branch is nothing but those predicates: one predicate, or an AND of predicates, with
   * no nested OR, subquery or other boolean expression
   */
  simple: boolean;
}

export interface Star {
  block: number;
  clause: 'select' | 'returning';
  /** `t` in `t.*` */
  qualifier?: string;
  span: Span;
}

export interface Write {
  kind: 'update' | 'delete' | 'insert' | 'merge';
  /** the block of the statement */
  block: number;
  table: string;
  schema?: string;
  alias?: string;
  /** WHERE present (including `WHERE CURRENT OF`) */
  hasWhere: boolean;
  /** from the statement keyword to the table name, e.g. `DELETE FROM orders` */
  head: Span;
  tableSpan: Span;
  returning: boolean;
  /** for INSERT: a column list is written (`INSERT INTO t (a, b) ...`) */
  columnList?: boolean;
}

export type DdlAction = CreateIndex | AlterTable | DropIndex | CreateTable;

export interface CreateIndex {
  kind: 'create-index';
  table: string;
  schema?: string;
  name?: string;
  concurrently: boolean;
  unique: boolean;
  /** `ON ONLY parent`: builds an invalid index on a partitioned parent only */
  only: boolean;
  method: string;
  /** key columns; expressions appear as their text */
  columns: string[];
  partial: boolean;
  /** `CREATE [UNIQUE] INDEX [CONCURRENTLY]` */
  head: Span;
  /** right after the INDEX keyword: where CONCURRENTLY goes */
  concurrentlyAt: number;
  tableSpan: Span;
}

export type AlterAction =
  | 'add-column'
  | 'drop-column'
  | 'alter-column-type'
  | 'set-default'
  | 'drop-default'
  | 'set-not-null'
  | 'drop-not-null'
  | 'add-constraint'
  | 'validate-constraint'
  | 'drop-constraint'
  | 'attach-partition'
  | 'detach-partition'
  | 'other';

export interface AlterTable {
  kind: 'alter-table';
  table: string;
  schema?: string;
  /** one entry per comma-separated action */
  actions: Array<{
    action: AlterAction;
    /** the AlterTableCmd subtype as libpg-query names it, e.g. 'AT_AddColumn' */
    subtype: string;
    column?: string;
    /** for add-column: has a DEFAULT; volatile when the default is a function call other than a known-stable one */
    default?: { volatile: boolean };
    /** for add-column with NOT NULL */
    notNull?: boolean;
    constraint?: { type: string; name?: string; notValid: boolean; usingIndex: boolean };
    /** for detach-partition */
    concurrently?: boolean;
    span: Span;
  }>;
  tableSpan: Span;
}

export interface DropIndex {
  kind: 'drop-index';
  concurrently: boolean;
  names: string[];
}

export interface CreateTable {
  kind: 'create-table';
  table: string;
  schema?: string;
  temporary: boolean;
  tableSpan: Span;
}
