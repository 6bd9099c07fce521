/**
 * Which statement "Explain Query" means: the selection, or the statement under the cursor,
 * in a .sql file or in the SQL embedded in host code. Pure: the document text (and, for host
 * files, the extracted regions) in, the statement with its offset mapping out.
 */
import { mapEndToHost, mapFromHost, mapToHost, type EmbeddedRegion } from '../../server/engine/extract';
import { splitStatements, type SqlStatement } from '../../server/engine/parse/splitter';

export interface FoundStatement {
  /** the SQL to explain */
  sql: string;
  /** document range of the statement (UTF-16) */
  start: number;
  end: number;
  /** document offset of sql[o] */
  toDocument(o: number): number;
  /** document offset just after sql[end - 1] */
  toDocumentEnd(end: number): number;
  /** offset in `sql` of a document offset, or -1 when it is outside the statement */
  fromDocument(offset: number): number;
}

export type StatementPick = { ok: true; statement: FoundStatement } | { ok: false; message: string };

/** Words a statement EXPLAIN can take starts with (the code lens shows only on these). */
const EXPLAINABLE_START = /^(?:\(\s*)*(select|with|insert|update|delete|merge|values|table)\b/i;

export function isExplainable(sql: string): boolean {
  return EXPLAINABLE_START.test(sql);
}

function plain(s: SqlStatement, base = 0): FoundStatement {
  const start = base + s.start;
  const end = base + s.end;
  return {
    sql: s.text,
    start,
    end,
    toDocument: (o) => start + Math.max(0, Math.min(o, s.text.length)),
    toDocumentEnd: (e) => start + Math.max(0, Math.min(e, s.text.length)),
    fromDocument: (d) => (d >= start && d <= end ? d - start : -1),
  };
}

function inRegion(region: EmbeddedRegion, s: SqlStatement): FoundStatement {
  return {
    sql: s.text,
    start: mapToHost(region, s.start),
    end: mapEndToHost(region, s.end),
    toDocument: (o) => mapToHost(region, s.start + Math.max(0, Math.min(o, s.text.length))),
    toDocumentEnd: (e) => mapEndToHost(region, s.start + Math.max(0, Math.min(e, s.text.length))),
    fromDocument: (d) => {
      const o = mapFromHost(region, d);
      return o >= s.start && o <= s.end ? o - s.start : -1;
    },
  };
}

/** Every statement of a .sql document. */
export function sqlStatements(text: string): FoundStatement[] {
  return splitStatements(text).map((s) => plain(s));
}

/** Every statement of the SQL regions found in a host document. */
export function hostStatements(regions: EmbeddedRegion[]): FoundStatement[] {
  return regions.flatMap((r) => splitStatements(r.sql).map((s) => inRegion(r, s)));
}

export interface PickInput {
  text: string;
  /** document offsets of the selection; equal for a bare cursor */
  selectionStart: number;
  selectionEnd: number;
  /** null for a .sql document; the SQL regions for a host document */
  regions: EmbeddedRegion[] | null;
}

export function pickStatement(input: PickInput): StatementPick {
  const { text, regions } = input;
  const a = Math.min(input.selectionStart, input.selectionEnd);
  const b = Math.max(input.selectionStart, input.selectionEnd);
  if (b > a && text.slice(a, b).trim() !== '') return fromSelection(text, a, b, regions);
  if (regions === null) {
    const all = sqlStatements(text);
    if (!all.length) return { ok: false, message: 'This file holds no SQL statement.' };
    // in the statement, or just after its semicolon on the same line
    const inside = all.find((s) => a >= s.start && a <= s.end + 1 && !/\n/.test(text.slice(s.end, a)));
    if (inside) return { ok: true, statement: inside };
    // between statements (a comment, a blank line): the statement that follows, else the last one
    const next = all.find((s) => s.start > a);
    return { ok: true, statement: next ?? all[all.length - 1] };
  }
  for (const r of regions) {
    const hostStart = mapToHost(r, 0);
    const hostEndAt = mapEndToHost(r, r.sql.length);
    // the cursor on the opening or closing quote counts
    if (a < hostStart - 1 || a > hostEndAt + 1) continue;
    const stmts = splitStatements(r.sql);
    if (!stmts.length) continue;
    let o = mapFromHost(r, a);
    if (o < 0) o = a < hostStart ? 0 : r.sql.length;
    const s = stmts.find((x) => o >= x.start && o <= x.end + 1) ?? stmts.find((x) => x.start > o) ?? stmts[stmts.length - 1];
    return { ok: true, statement: inRegion(r, s) };
  }
  return { ok: false, message: 'There is no SQL at the cursor. Put the cursor inside a SQL string (a query(...) argument, a sql`...` template), or select the SQL.' };
}

function fromSelection(text: string, a: number, b: number, regions: EmbeddedRegion[] | null): StatementPick {
  if (regions !== null) {
    for (const r of regions) {
      const sa = mapFromHost(r, a);
      const sb = mapFromHost(r, b);
      if (sa < 0 || sb < 0) continue;
      return one(r.sql.slice(sa, sb), (s) => inRegion(r, { text: s.text, start: s.start + sa, end: s.end + sa }));
    }
  }
  return one(text.slice(a, b), (s) => plain(s, a));
}

function one(sql: string, make: (s: SqlStatement) => FoundStatement): StatementPick {
  const stmts = splitStatements(sql);
  if (!stmts.length) return { ok: false, message: 'The selection holds no SQL statement.' };
  if (stmts.length > 1) return { ok: false, message: `The selection holds ${stmts.length} statements; EXPLAIN takes one. Select just one statement, or put the cursor in it.` };
  return { ok: true, statement: make(stmts[0]) };
}
