// What the generator hands the differential runner.
import type { Rng } from './rng.js';

export const featureClasses = [
  'joins',
  'aggregates',
  'grouping_sets',
  'windows',
  'ctes',
  'recursive_ctes',
  'subqueries',
  'set_operations',
  'distinct_order_limit',
  'values_srf',
  'expr_conditional',
  'expr_pattern',
  'expr_string',
  'expr_math',
  'expr_date',
  'expr_json',
  'expr_array',
  'errors',
] as const;

export type FeatureClass = (typeof featureClasses)[number];

export interface GeneratedQuery {
  /** `<class>#<index>@<seed>`: enough to regenerate the query. */
  readonly id: string;
  readonly featureClass: FeatureClass;
  readonly sql: string;
  /** True when the query's ORDER BY fixes the row order; otherwise rows compare as a multiset. */
  readonly ordered: boolean;
  /** For the errors class: the SQLSTATE PostgreSQL raises. */
  readonly expectedSqlState?: string;
}

export type QueryBody = Omit<GeneratedQuery, 'id' | 'featureClass'>;
export type ClassGenerator = (rng: Rng) => QueryBody;
