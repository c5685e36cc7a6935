// Importing this module registers every built-in function, operator and aggregate of the
// function library (the SQL engineer's binder imports it once).
import './strings.js';
import './like.js';
import './regex.js';
import './similar.js';
import './aggregates.js';
import './aggregates-statistics.js';

export { functionCandidates, operatorCandidates, allFunctions, registerFunction, registerOperator, PseudoType } from './api.js';
export type { BuiltinFunction, BuiltinOperator, FunctionContext, Volatility } from './api.js';
export { aggregateCandidates, registerAggregate, isOrderedSetAggregate } from './aggregates-api.js';
export type { AggregateAccumulator, BuiltinAggregate, OrderedSetAggregate } from './aggregates-api.js';
