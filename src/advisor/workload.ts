/**
 * Statement texts (with where they were found) -> workload queries: placeholders turned
 * into `$n`, parsed once, reduced to facts, the same shape merged (libpg-query
 * fingerprint) with its weight summed. Only statements an index can help (SELECT, UPDATE,
 * DELETE with a table) are kept. Call loadParser() before.
 */
import { extractFacts } from '../../server/engine/facts';
import { fingerprintPg, parsePg } from '../../server/engine/parse/pgquery';
import { checkStatement } from '../db/statement-check';
import type { OutputColumns, QueryLocation, WorkloadQuery } from './types';

export interface SourceStatement {
  text: string;
  location: QueryLocation;
  /** default 1 */
  weight?: number;
}

const KINDS = new Set(['select', 'update', 'delete']);

export function buildWorkload(statements: readonly SourceStatement[]): WorkloadQuery[] {
  const byShape = new Map<string, WorkloadQuery>();
  for (const s of statements) {
    let text: string;
    try {
      const checked = checkStatement(s.text);
      text = checked.conversion.text.trim().replace(/;\s*$/, '');
      if (!KINDS.has(checked.kind)) continue;
    } catch {
      continue;
    }
    const parsed = parsePg(text);
    if (!parsed.ok || parsed.stmts.length !== 1) continue;
    const ast = parsed.stmts[0].stmt;
    const facts = extractFacts(ast, text);
    if (!facts.relations.some((r) => r.kind === 'table')) continue;
    const shape = fingerprintPg(text) ?? text;
    const seen = byShape.get(shape);
    if (seen) {
      seen.locations.push(s.location);
      seen.weight += s.weight ?? 1;
      continue;
    }
    byShape.set(shape, { id: byShape.size, text, facts, outputColumns: outputColumnsOf(ast), locations: [s.location], weight: s.weight ?? 1 });
  }
  return [...byShape.values()];
}

type Node = Record<string, unknown>;

/** Column references of the outermost SELECT's target list; `*` (or no SELECT) = unknown. */
export function outputColumnsOf(ast: Node): OutputColumns {
  const select = ast.SelectStmt as Node | undefined;
  const targets = select?.targetList as Node[] | undefined;
  if (!select || select.op !== undefined && select.op !== 'SETOP_NONE' || !targets) return { star: true, columns: [] };
  const out: OutputColumns = { star: false, columns: [] };
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const o = n as Node;
    if (o.SubLink) return;
    if (o.ColumnRef) {
      const fields = ((o.ColumnRef as Node).fields as Node[]) ?? [];
      const names = fields.map((f) => ((f.String as Node | undefined)?.sval as string | undefined) ?? (f.A_Star ? '*' : undefined));
      if (names.includes('*') || names.includes(undefined)) out.star = true;
      else if (names.length === 1) out.columns.push({ name: names[0]! });
      else out.columns.push({ qualifier: names[names.length - 2]!, name: names[names.length - 1]! });
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(targets);
  return out;
}
