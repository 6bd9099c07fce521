/**
 * Volatile function calls in an expression: functions whose value differs per row
 * (pg_proc.provolatile = 'v'). Known by name, from core and common extensions; shared by the
 * ALTER TABLE facts and the `add-column-volatile-default` rule.
 */
import { funcName } from './operands';
import { unwrap, type Node } from './walker';

export const VOLATILE_FUNCTIONS = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'gen_random_bytes',
  'clock_timestamp',
  'timeofday',
  'nextval',
]);

/** The first call of a known volatile function in an expression, or undefined. */
export function volatileCall(root: unknown): Node | undefined {
  const stack: unknown[] = [root];
  // a default expression is small; the budget only guards against pathological input
  let budget = 5000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (let i = n.length - 1; i >= 0; i--) stack.push(n[i]);
      continue;
    }
    const u = unwrap(n);
    if (!u) continue;
    if (u[0] === 'FuncCall' && VOLATILE_FUNCTIONS.has(funcName(u[1]))) return u[1];
    if (u[0] === 'SubLink') continue; // a subquery default is not allowed anyway
    for (const k in u[1]) {
      const v = u[1][k];
      if (v && typeof v === 'object') stack.push(v);
    }
  }
  return undefined;
}
