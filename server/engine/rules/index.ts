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
import { sequentialIndependentQueries } from './sequential-independent-queries';
import { sqlStringInterpolation } from './sql-string-interpolation';
import { poolPerRequest } from './pool-per-request';
import { clientNotReleased } from './client-not-released';
import { transactionViaPoolQuery } from './transaction-via-pool-query';
import { poolWithoutTimeout } from './pool-without-timeout';
import { orAcrossColumns } from './or-across-columns';
import { orChainToIn } from './or-chain-to-in';
import { inSubqueryPreferExists } from './in-subquery-prefer-exists';
import { correlatedSubqueryInSelect } from './correlated-subquery-in-select';
import { updateFromWithoutJoinCondition } from './update-from-without-join-condition';
import { naturalJoin } from './natural-join';
import { redundantDistinct } from './redundant-distinct';
import { unionInsteadOfUnionAll } from './union-instead-of-union-all';
import { implicitTypeCast } from './implicit-type-cast';
import { unindexedFilter } from './unindexed-filter';
import { fkWithoutIndex } from './fk-without-index';
import { tableWithoutPrimaryKey } from './table-without-primary-key';
import { unknownTableOrColumn } from './unknown-table-or-column';
import { unboundedSelect } from './unbounded-select';
import { countForExistence } from './count-for-existence';
import { havingWithoutAggregate } from './having-without-aggregate';
import { deepSubqueryNesting } from './deep-subquery-nesting';
import { unusedCte } from './unused-cte';
import { insertWithoutColumns } from './insert-without-columns';
import { largeInList } from './large-in-list';
import { recursiveCteWithoutLimit } from './recursive-cte-without-limit';

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
  sequentialIndependentQueries,
  sqlStringInterpolation,
  poolPerRequest,
  clientNotReleased,
  transactionViaPoolQuery,
  poolWithoutTimeout,
  orAcrossColumns,
  orChainToIn,
  inSubqueryPreferExists,
  correlatedSubqueryInSelect,
  updateFromWithoutJoinCondition,
  naturalJoin,
  redundantDistinct,
  unionInsteadOfUnionAll,
  implicitTypeCast,
  unindexedFilter,
  fkWithoutIndex,
  tableWithoutPrimaryKey,
  unknownTableOrColumn,
  unboundedSelect,
  countForExistence,
  havingWithoutAggregate,
  deepSubqueryNesting,
  unusedCte,
  insertWithoutColumns,
  largeInList,
  recursiveCteWithoutLimit,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

const BY_ID = new Map(RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

/** Repository-relative path of a rule's documentation page (linked from diagnostics). */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}
