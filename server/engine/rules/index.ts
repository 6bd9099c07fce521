/**
 * The registry: every rule, listed explicitly so the bundler sees them all. Order is the
 * order findings are produced in for one statement.
 */
import type { Rule } from '../types';
import { complexity } from './complexity';
import { createIndexNotConcurrently } from './create-index-not-concurrently';
import { implicitCrossJoin } from './implicit-cross-join';
import { largeOffset } from './large-offset';
import { leadingWildcardLike } from './leading-wildcard-like';
import { limitWithoutOrderBy } from './limit-without-order-by';
import { nonSargablePredicate } from './non-sargable-predicate';
import { notInSubquery } from './not-in-subquery';
import { nullComparison } from './null-comparison';
import { orderByRandom } from './order-by-random';
import { orderByWithoutLimit } from './order-by-without-limit';
import { queryInLoop } from './query-in-loop';
import { selectStar } from './select-star';
import { tooManyJoins } from './too-many-joins';
import { updateDeleteWithoutWhere } from './update-delete-without-where';
import { dropIndexNotConcurrently } from './drop-index-not-concurrently';
import { constraintWithoutNotValid } from './constraint-without-not-valid';
import { addColumnVolatileDefault } from './add-column-volatile-default';
import { setNotNull } from './set-not-null';
import { alterColumnType } from './alter-column-type';
import { uniqueConstraintWithoutIndex } from './unique-constraint-without-index';
import { missingLockTimeout } from './missing-lock-timeout';
import { preferBigintKeys } from './prefer-bigint-keys';
import { vacuumFullOrCluster } from './vacuum-full-or-cluster';
import { refreshMatviewNotConcurrently } from './refresh-matview-not-concurrently';

export const RULES: Rule[] = [
  selectStar,
  leadingWildcardLike,
  orderByRandom,
  nonSargablePredicate,
  notInSubquery,
  nullComparison,
  updateDeleteWithoutWhere,
  implicitCrossJoin,
  largeOffset,
  orderByWithoutLimit,
  limitWithoutOrderBy,
  tooManyJoins,
  complexity,
  createIndexNotConcurrently,
  queryInLoop,
  dropIndexNotConcurrently,
  constraintWithoutNotValid,
  addColumnVolatileDefault,
  setNotNull,
  alterColumnType,
  uniqueConstraintWithoutIndex,
  missingLockTimeout,
  preferBigintKeys,
  vacuumFullOrCluster,
  refreshMatviewNotConcurrently,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}

/** Repository-relative path of a rule's documentation page (linked from diagnostics). */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}
