/**
 * Input normalisation: whatever the user pasted or the driver returned becomes either a
 * JSON value or a list of text-format lines, with psql's decoration removed (the
 * "QUERY PLAN" header and its rule, "(N rows)", the `+` newline markers of aligned output,
 * table frames, pgAdmin's quotes). Nothing here knows what a plan node is.
 */
import { PlanParseError, excerpt } from './errors';

export type PlanInput =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; lines: string[]; firstLineNumber: number };

/** The column name PostgreSQL gives EXPLAIN's output; drivers return rows keyed by it. */
const QUERY_PLAN_COLUMN = 'QUERY PLAN';

export function normalizeInput(input: unknown): PlanInput {
  if (typeof input === 'string') return normalizeString(input);
  if (Array.isArray(input)) return normalizeArray(input);
  if (input !== null && typeof input === 'object') {
    const obj = input as Record<string, unknown>;
    if (QUERY_PLAN_COLUMN in obj) return normalizeInput(obj[QUERY_PLAN_COLUMN]);
    // A driver's whole result object (node-postgres: { rows: [...] }).
    if (Array.isArray(obj.rows) && !('Plan' in obj)) return normalizeArray(obj.rows);
    return { kind: 'json', value: input };
  }
  throw new PlanParseError(
    `Expected EXPLAIN output (a string in the text or JSON format, or the parsed JSON), got ${input === null ? 'null' : typeof input}.`,
  );
}

function normalizeArray(items: unknown[]): PlanInput {
  if (items.length === 0) throw new PlanParseError('Expected EXPLAIN output, got an empty array.');
  if (items.every((x) => typeof x === 'string')) return normalizeString((items as string[]).join('\n'));
  const rows = items as Array<Record<string, unknown> | null>;
  if (rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && QUERY_PLAN_COLUMN in r)) {
    const cells = rows.map((r) => (r as Record<string, unknown>)[QUERY_PLAN_COLUMN]);
    // Text format: one row per line. JSON format: one row holding the whole document.
    if (cells.every((c) => typeof c === 'string')) return normalizeString((cells as string[]).join('\n'));
    return normalizeInput(cells[0]);
  }
  return { kind: 'json', value: items };
}

function normalizeString(raw: string): PlanInput {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === '') throw new PlanParseError('Expected EXPLAIN output, got an empty string.');
  const lines = stripDecoration(text.split(/\r\n|\r|\n/));
  const first = firstNonBlank(lines);
  if (first < 0) throw new PlanParseError('Expected EXPLAIN output, found only a psql header and footer.');
  const lead = lines[first].trimStart()[0];
  // Parsed JSON may still be a wrapper (driver rows exported as JSON): unwrap it the same way.
  if (lead === '[' || lead === '{') return normalizeInput(parseJsonLines(lines, first));
  if (lead === '"') {
    const decoded = tryDoubleEncoded(lines.join('\n'));
    if (decoded !== undefined) return decoded;
  }
  // Some text before the JSON document (the EXPLAIN statement itself, a prompt).
  const jsonStart = lines.findIndex((l) => /^\s*[[{]\s*$/.test(l));
  if (jsonStart >= 0 && lines.some((l) => l.includes('"Node Type"'))) {
    return normalizeInput(parseJsonLines(lines, jsonStart));
  }
  return { kind: 'text', ...unquoteLines(lines) };
}

/** A JSON string whose content is the plan (copied from a JSON-escaping tool). */
function tryDoubleEncoded(text: string): PlanInput | undefined {
  try {
    const inner: unknown = JSON.parse(text);
    if (typeof inner === 'string') return normalizeString(inner);
  } catch {
    // Not a JSON string: pgAdmin-style quoted text lines, handled by unquoteLines.
  }
  return undefined;
}

/** Removes psql's header, rule, footer, frame and `+` markers; keeps line count otherwise. */
function stripDecoration(input: string[]): string[] {
  let lines = input;
  // Frame rules: "+----+", "┌───┐", "├───┤", and the header rule "-----".
  const isRule = (l: string) => l.trim() !== '' && /^[\s\-+=─━┌┐└┘├┤┬┴┼═╔╗╚╝╠╣╦╩╬╞╡╪]+$/.test(l);
  lines = lines.map((l) => (isRule(l) ? '' : l));
  const nonBlank = lines.filter((l) => l.trim() !== '');
  // Framed tables: "| Seq Scan ... |".
  if (nonBlank.length > 0 && nonBlank.every((l) => /^\s*[|│║]/.test(l))) {
    lines = lines.map((l) => l.replace(/^\s*[|│║]/, '').replace(/\s*[|│║]\s*$/, ''));
  }
  lines = lines.map((l) => {
    const t = l.trim();
    if (/^query plan$/i.test(t)) return '';
    if (/^\(\d+ rows?\)$/.test(t)) return '';
    return l;
  });
  // psql's aligned format marks a newline inside a cell with a trailing "+" (JSON output is
  // one cell). Only strip when most lines carry it: a text plan line never ends with "+"
  // on its own, but one stray "+" is not evidence.
  const candidates = lines.filter((l) => l.trim() !== '');
  const plussed = candidates.filter((l) => /\+\s*$/.test(l)).length;
  if (candidates.length >= 2 && plussed >= candidates.length / 2) {
    lines = lines.map((l) => l.replace(/\s*\+\s*$/, ''));
  }
  return lines;
}

function firstNonBlank(lines: string[]): number {
  return lines.findIndex((l) => l.trim() !== '');
}

/** pgAdmin copies each text line in double quotes. */
function unquoteLines(lines: string[]): { lines: string[]; firstLineNumber: number } {
  const nonBlank = lines.filter((l) => l.trim() !== '');
  if (nonBlank.length > 0 && nonBlank.every((l) => /^\s*".*"\s*$/.test(l))) {
    return { lines: lines.map((l) => l.replace(/^(\s*)"(.*)"\s*$/, '$1$2').replace(/""/g, '"')), firstLineNumber: 1 };
  }
  return { lines, firstLineNumber: 1 };
}

/**
 * Parses the JSON document starting at line `start`, ignoring anything after its last
 * closing line (psql's "Time: 1.2 ms", a trailing prompt).
 */
function parseJsonLines(lines: string[], start: number): unknown {
  let end = lines.length - 1;
  while (end > start && !/^\s*[\]}]/.test(lines[end]) && !/[\]}]\s*$/.test(lines[end])) end--;
  const body = lines.slice(start, end + 1).join('\n');
  try {
    return JSON.parse(body);
  } catch (e) {
    const whole = lines.slice(start).join('\n');
    if (end < lines.length - 1) {
      // The cut at the last closing line may itself be the problem: try the whole rest.
      try {
        return JSON.parse(whole);
      } catch {
        // Report the first failure below.
      }
    }
    throw jsonError(e, body, start);
  }
}

function jsonError(e: unknown, body: string, lineOffset: number): PlanParseError {
  const message = e instanceof Error ? e.message : String(e);
  const posMatch = /position (\d+)/.exec(message);
  const truncated = /end of (json )?input|unterminated/i.test(message) || (posMatch !== null && Number(posMatch[1]) >= body.trimEnd().length);
  if (truncated) {
    return new PlanParseError(
      'The input looks like EXPLAIN (FORMAT JSON) output but it is incomplete: the JSON ends before its closing brackets. Was it truncated when copied?',
      { line: lineOffset + body.split('\n').length },
    );
  }
  if (posMatch) {
    const pos = Number(posMatch[1]);
    const before = body.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    return new PlanParseError(
      `The input looks like EXPLAIN (FORMAT JSON) output but is not valid JSON at line ${lineOffset + line}, column ${column} (near "${excerpt(body.slice(pos, pos + 30), 30)}"): ${message}`,
      { line: lineOffset + line, column },
    );
  }
  return new PlanParseError(`The input looks like EXPLAIN (FORMAT JSON) output but is not valid JSON: ${message}`);
}
