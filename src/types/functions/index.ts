// Importing this module registers every built-in function, operator and aggregate of the
// function library (the SQL engineer's binder imports it once).
import './strings.js';
import './like.js';
import './regex.js';
import './similar.js';
import './format.js';
import './encoding.js';
import './math-float.js';
import './math-numeric.js';
import './array-functions.js';
import './series.js';
import './system.js';
import './datetime-extract.js';
import './datetime-functions.js';
import './datetime-series.js';
import './to-char-datetime.js';
import './to-char-number.js';
import './to-timestamp.js';
import './json-operators.js';
import './json-functions.js';
import './aggregates.js';
import './aggregates-statistics.js';
import './aggregates-ordered.js';

export { functionCandidates, operatorCandidates, allFunctions, registerFunction, registerOperator, PseudoType } from './api.js';
export type { BuiltinFunction, BuiltinOperator, FunctionContext, Volatility } from './api.js';
export { aggregateCandidates, registerAggregate, isOrderedSetAggregate } from './aggregates-api.js';
export type { AggregateAccumulator, BuiltinAggregate, OrderedSetAggregate, OrderedSetAccumulator } from './aggregates-api.js';
