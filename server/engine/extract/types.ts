/**
 * Public shapes of embedded-SQL extraction. Kept apart from the code so that consumers
 * (rules, the server, the CLI) can import the types without pulling tree-sitter in.
 */

export type HostLanguage = 'typescript' | 'typescriptreact' | 'javascript' | 'javascriptreact' | 'python' | 'go';

export interface EmbeddedOptions {
  /**
   * Names of SQL calls. An entry without a dot matches the callee's last member
   * (`query` matches `pool.query`); an entry with a dot matches the whole dotted callee
   * (`Prisma.sql`). Entries also act as template tags.
   */
  calls: string[];
}

/**
 * Where a call to the database sits inside a loop body. `kind` is one of:
 * JS/TS: 'for', 'for-of', 'for-in', 'for-await', 'while', 'do-while', or the array method
 * ('forEach', 'map', 'flatMap', 'reduce', 'filter', ...); Python: 'for', 'while',
 * 'list-comprehension', 'set-comprehension', 'dict-comprehension', 'generator', 'map';
 * Go: 'for', 'for-range'.
 */
export interface LoopInfo {
  kind: string;
  /** UTF-16 range [start,end) of the loop statement (or of the `.map(...)` call) */
  start: number;
  end: number;
  /** 0-based line of `start` (LSP convention; add 1 for messages) */
  line: number;
}

export interface EmbeddedRegion {
  /**
   * SQL text. Each interpolation is replaced by a same-width placeholder (`$1`, `$2` ...
   * padded with spaces; truncated when the interpolation is narrower than the placeholder),
   * and so are driver parameters PostgreSQL's parser would reject (`:name` everywhere;
   * `%s`, `%(name)s` and `.format` fields in Python).
   */
  sql: string;
  /** UTF-16 offset in the host document where sql[0] sits (after the opening quote) */
  hostStart: number;
  /**
   * how the SQL was found: a SQL-tagged template, an argument of a known call, a variable
   * passed to a known call, or a loose string that plainly is SQL (knownCall false)
   */
  origin: 'tagged-template' | 'call-argument' | 'variable' | 'string';
  /** true when it is an argument of (or a variable passed to) a known SQL call: syntax errors are only reported then */
  knownCall: boolean;
  /** the call's name as written, e.g. 'query', 'cursor.execute', 'db.QueryRow', 'sql'; '' for loose strings */
  callName: string;
  /**
   * UTF-16 range [start,end) of the call's callee in the host document. For loose strings
   * (no call) it is the range of the string expression itself.
   */
  callStart: number;
  callEnd: number;
  /** innermost enclosing loop of the call, within the same function (see LoopInfo) */
  loop?: LoopInfo;
  /**
   * Present only when sql does not map 1:1 onto the host from hostStart (escape sequences,
   * concatenated pieces, placeholders of a different width). Flat quadruples
   * [sqlStart, hostStart, sqlLength, hostLength], sorted by sqlStart. Use mapToHost() and
   * friends rather than reading it.
   */
  segments?: number[];
}
