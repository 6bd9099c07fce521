/**
 * The complexity code lens: "complexity 7 · 3 joins · 1 correlated subquery" above each
 * statement of a `.sql` file that scores anything (a lens above every INSERT saying
 * "complexity 0" would be noise). The score is the one the `complexity` rule reports past
 * its threshold (server/engine/complexity.ts), so the lens shows where a query stands long
 * before it is flagged.
 *
 * Scores are cached by statement text: an edit re-parses only the statements it touched.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { scoreComplexity, type ComplexityScore } from '../engine/complexity';
import { extractFacts } from '../engine/facts';
import { parsePg } from '../engine/parse/pgquery';
import type { DocumentResult } from './results';

/** How a factor reads in the lens, singular and plural. */
const NOUNS: Record<string, [string, string]> = {
  joins: ['join', 'joins'],
  subqueries: ['subquery', 'subqueries'],
  correlated: ['correlated subquery', 'correlated subqueries'],
  aggregates: ['aggregate', 'aggregates'],
  windows: ['window function', 'window functions'],
  or: ['extra OR branch', 'extra OR branches'],
  setOperations: ['set operation', 'set operations'],
  ctes: ['CTE', 'CTEs'],
  recursive: ['recursive CTE', 'recursive CTEs'],
};

/** The lens shows the factors that weigh most; the hover of `complexity` has them all. */
const MAX_FACTORS = 3;
const CACHE_LIMIT = 10_000;

export class ComplexityLenses {
  /** statement text -> lens title, or null when the statement scores nothing or cannot be scored */
  private readonly titles = new Map<string, string | null>();

  lenses(doc: TextDocument, result: DocumentResult, enabled: boolean): CodeLens[] {
    // Host code has its own lenses (Explain) and its strings are often fragments: .sql only.
    if (!enabled || doc.languageId !== 'sql' || result.analysis.skipped) return [];
    const out: CodeLens[] = [];
    for (const s of result.analysis.statements) {
      if (!s.ok) continue;
      const title = this.title(s.text);
      if (title === null) continue;
      const at = doc.positionAt(s.start);
      out.push({ range: { start: at, end: at }, command: { title, command: '' } });
    }
    return out;
  }

  private title(text: string): string | null {
    const cached = this.titles.get(text);
    if (cached !== undefined) return cached;
    const title = lensTitle(scoreStatement(text));
    if (this.titles.size >= CACHE_LIMIT) this.titles.clear();
    this.titles.set(text, title);
    return title;
  }
}

function scoreStatement(text: string): ComplexityScore | null {
  const parsed = parsePg(text);
  if (!parsed.ok || parsed.stmts.length !== 1) return null;
  try {
    return scoreComplexity(extractFacts(parsed.stmts[0].stmt, text));
  } catch {
    // Too deeply nested to walk: the `complexity` rule says so as a diagnostic already.
    return null;
  }
}

/** "complexity 7 · 3 joins · 1 correlated subquery"; null when nothing scored. */
export function lensTitle(score: ComplexityScore | null): string | null {
  if (!score || score.total === 0) return null;
  const factors = [...score.items]
    .sort((a, b) => b.points - a.points)
    .slice(0, MAX_FACTORS)
    .map((i) => {
      const noun = NOUNS[i.factor];
      return noun ? `${i.count} ${i.count === 1 ? noun[0] : noun[1]}` : `${i.count} ${i.factor}`;
    });
  return [`complexity ${score.total}${score.truncated ? '+' : ''}`, ...factors].join(' · ');
}
