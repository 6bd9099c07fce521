/**
 * VACUUM FULL and CLUSTER rewrite the whole table under an ACCESS EXCLUSIVE lock: nothing
 * can read or write it until the copy is done.
 *
 * Not reported: plain VACUUM / ANALYZE, `VACUUM (FULL false)`, temporary tables.
 */
import type { Rule } from '../types';
import { bodyOf, headSpan, isTempRelation, list, offsetOf, tokenIndexAt, tokenSpan, tokensOf, type Node } from './ddl-util';

export const vacuumFullOrCluster: Rule = {
  meta: {
    id: 'vacuum-full-or-cluster',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock, blocking reads and writes.',
  },
  check({ ast, text, report }) {
    const vacuum = bodyOf(ast, 'VacuumStmt');
    if (vacuum) {
      if (!vacuum.is_vacuumcmd) return;
      const full = list(vacuum.options)
        .map((o) => bodyOf(o, 'DefElem'))
        .find((d) => d && d.defname === 'full');
      if (!full || !optionOn(full.arg)) return;
      const rels = list(vacuum.rels).map((v) => bodyOf(v, 'VacuumRelation')?.relation as Node | undefined);
      if (rels.length > 0 && rels.every((r) => isTempRelation(r))) return;
      const tokens = tokensOf(text);
      const at = tokenIndexAt(tokens, offsetOf(text, full.location));
      // `VACUUM FULL t`: the two keywords; `VACUUM (FULL, ANALYZE) t`: the FULL option
      const span = at === 1 ? tokenSpan(tokens, 0, 1) : at < tokens.length ? tokenSpan(tokens, at, at) : headSpan(text, 1);
      const what = rels.length === 0 ? 'every table of the database, one after the other' : 'the table';
      report({
        ...span,
        message: `VACUUM FULL rewrites ${what} under an ACCESS EXCLUSIVE lock: no query can read or write it until the copy is done, and it needs room for a second copy. Plain VACUUM (or pg_repack / pg_squeeze, which rewrite online) is almost always what you want.`,
      });
      return;
    }
    const cluster = bodyOf(ast, 'ClusterStmt');
    if (!cluster) return;
    const rel = cluster.relation as Node | undefined;
    if (isTempRelation(rel)) return;
    report({
      ...headSpan(text, 1),
      message: `CLUSTER rewrites ${rel ? 'the table' : 'every previously clustered table'} in index order under an ACCESS EXCLUSIVE lock: no query can read or write it until the copy is done. Use pg_repack (which clusters online), or schedule it in a maintenance window.`,
    });
  },
};

/** A boolean option's value: absent means true. */
function optionOn(arg: unknown): boolean {
  if (arg === undefined) return true;
  const s = bodyOf(arg, 'String')?.sval ?? bodyOf(arg, 'Integer')?.ival ?? bodyOf(arg, 'Boolean')?.boolval;
  if (s === undefined) return bodyOf(arg, 'Integer') ? false : true; // Integer 0 has no ival
  return !/^(false|off|0|no)$/i.test(String(s));
}
