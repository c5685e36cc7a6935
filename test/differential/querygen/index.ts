// The seeded random query generator of the differential harness: `generateQueries({ seed,
// perClass })` returns the same queries for the same seed, class by class, each class drawing
// from its own random stream so that changing one class's generator leaves the others' queries
// unchanged.
import { generateAggregate, generateGroupingSets } from './aggregates.js';
import { generateError } from './errors.js';
import { generateJoin } from './joins.js';
import { generateDistinctOrderLimit, generateExpressionQuery, generateValuesSrf } from './misc.js';
import { generateCte, generateRecursiveCte, generateSetOperation, generateSubquery } from './nested.js';
import { featureClasses, type ClassGenerator, type FeatureClass, type GeneratedQuery } from './query.js';
import { Rng } from './rng.js';
import { generateWindow, generateWindowOverAggregate } from './windows.js';

export { featureClasses, type FeatureClass, type GeneratedQuery } from './query.js';
export { schemaStatements, tables } from './schema.js';

const generators: Record<FeatureClass, ClassGenerator> = {
  joins: generateJoin,
  aggregates: generateAggregate,
  grouping_sets: generateGroupingSets,
  windows: (rng) => (rng.chance(0.15) ? generateWindowOverAggregate(rng) : generateWindow(rng)),
  ctes: generateCte,
  recursive_ctes: generateRecursiveCte,
  subqueries: generateSubquery,
  set_operations: generateSetOperation,
  distinct_order_limit: generateDistinctOrderLimit,
  values_srf: generateValuesSrf,
  expr_conditional: (rng) => generateExpressionQuery(rng, 'expr_conditional'),
  expr_pattern: (rng) => generateExpressionQuery(rng, 'expr_pattern'),
  expr_string: (rng) => generateExpressionQuery(rng, 'expr_string'),
  expr_math: (rng) => generateExpressionQuery(rng, 'expr_math'),
  expr_date: (rng) => generateExpressionQuery(rng, 'expr_date'),
  expr_json: (rng) => generateExpressionQuery(rng, 'expr_json'),
  expr_array: (rng) => generateExpressionQuery(rng, 'expr_array'),
  errors: generateError,
};

export interface GenerateOptions {
  seed: number;
  perClass: number;
  classes?: readonly FeatureClass[];
}

/** One query of one class: `<class>#<index>@<seed>` names it for reproduction. */
export function generateQuery(seed: number, featureClass: FeatureClass, index: number): GeneratedQuery {
  const classSalt = featureClasses.indexOf(featureClass) + 1;
  const rng = new Rng((seed * 1_000_003 + classSalt * 7_919 + index * 104_729) >>> 0);
  const body = generators[featureClass](rng);
  return { id: `${featureClass}#${index}@${seed}`, featureClass, ...body };
}

export function generateQueries(options: GenerateOptions): GeneratedQuery[] {
  const queries: GeneratedQuery[] = [];
  for (const featureClass of options.classes ?? featureClasses) {
    for (let index = 0; index < options.perClass; index++) queries.push(generateQuery(options.seed, featureClass, index));
  }
  return queries;
}

/** Parses `<class>#<index>@<seed>` back into the query it names. */
export function queryById(id: string): GeneratedQuery {
  const match = /^([a-z_]+)#(\d+)@(\d+)$/.exec(id);
  if (!match || !featureClasses.includes(match[1] as FeatureClass)) throw new Error(`not a generated query id: ${id}`);
  return generateQuery(Number(match[3]), match[1] as FeatureClass, Number(match[2]));
}
