// EXPLAIN [ (ANALYZE, BUFFERS, COSTS, TIMING, SUMMARY, FORMAT TEXT|JSON) ] in PostgreSQL's shape:
// node names, cost and row estimates, actual time / rows / loops, Buffers lines, Sort Method,
// Planning and Execution Time; FORMAT JSON as PostgreSQL's key names. Estimates come from a
// simple cost model (sequential page cost 1, per-row CPU 0.01) over table row estimates.
import type { PlanNode } from '../../plan/index.js';
import { lastSortStatistics } from '../nodes/external-sort.js';
import { deparse } from './deparse.js';
import type { Instrumentation, NodeStatistics } from './instrument.js';

export interface ExplainOptions {
  analyze: boolean;
  buffers: boolean;
  costs: boolean;
  timing: boolean;
  summary: boolean;
  verbose: boolean;
  format: 'text' | 'json';
}

interface Estimate {
  startup: number;
  total: number;
  rows: number;
  width: number;
}

interface ExplainNode {
  nodeType: string;
  relationName?: string;
  alias?: string;
  joinType?: string;
  strategy?: string;
  parentRelationship?: string;
  estimate: Estimate;
  properties: Array<[string, string | number | string[]]>;
  actual?: NodeStatistics;
  children: ExplainNode[];
}

/** Default row estimate for a table never analyzed (PostgreSQL assumes ~10 pages). */
const defaultTableRows = 1000;
const rowsPerPage = 100;

function widthOf(node: PlanNode): number {
  return node.columns.reduce((sum, column) => sum + ({ 16: 1, 21: 2, 23: 4, 20: 8, 700: 4, 701: 8, 1082: 4, 1114: 8, 1184: 8 } as Record<number, number>)[column.type]! || sum + 32, 0) || 0;
}

function childrenOf(node: PlanNode): PlanNode[] {
  switch (node.kind) {
    case 'join':
    case 'setOp':
      return [node.left, node.right];
    case 'recursiveUnion':
      return [node.nonRecursive, node.recursive];
    default:
      return 'input' in node && node.input ? [node.input as PlanNode] : [];
  }
}

export interface TableRowEstimates {
  (tableOid: number): number | undefined;
}

function build(node: PlanNode, stats: Instrumentation | undefined, tableRows: TableRowEstimates): ExplainNode {
  const actual = stats?.nodes.get(node);
  // Projections and filters fold into the node below, as in PostgreSQL's output.
  if (node.kind === 'project') {
    const inner = build(node.input, stats, tableRows);
    inner.estimate = { ...inner.estimate, width: widthOf(node) };
    return inner;
  }
  if (node.kind === 'filter') {
    const inner = build(node.input, stats, tableRows);
    inner.properties.push(['Filter', deparse(node.predicate, node.input.columns)]);
    inner.estimate = { ...inner.estimate, rows: Math.max(1, Math.round(inner.estimate.rows / 3)) };
    if (actual && inner.actual) {
      inner.properties.push(['Rows Removed by Filter', Math.round((inner.actual.rows - actual.rows) / Math.max(1, actual.loops))]);
      inner.actual = { ...inner.actual, rows: actual.rows };
    }
    return inner;
  }
  const children = childrenOf(node).map((child) => build(child, stats, tableRows));
  const childEstimate = children[0]?.estimate ?? { startup: 0, total: 0, rows: 1, width: 0 };
  const width = widthOf(node);
  const properties: ExplainNode['properties'] = [];
  let nodeType: string;
  let estimate: Estimate = { startup: childEstimate.startup, total: childEstimate.total + childEstimate.rows * 0.01, rows: childEstimate.rows, width };
  const result: Partial<ExplainNode> = {};
  switch (node.kind) {
    case 'tableScan': {
      const rows = tableRows(node.table.oid) ?? defaultTableRows;
      const pages = Math.max(1, Math.ceil(rows / rowsPerPage));
      result.relationName = node.table.name;
      result.alias = node.table.name;
      if (node.access) {
        const index = node.access.index ? node.access.index.name : `${node.table.name}_pkey`;
        nodeType = node.access.reverse ? 'Index Scan Backward' : 'Index Scan';
        properties.push(['Index Name', index]);
        const matched = node.access.equality.length > 0 ? Math.max(1, Math.round(rows * 0.005)) : Math.max(1, Math.round(rows / 3));
        estimate = { startup: 0.29, total: 0.29 + matched * 0.02 + 4, rows: matched, width };
      } else {
        nodeType = 'Seq Scan';
        estimate = { startup: 0, total: pages + rows * 0.01, rows, width };
      }
      if (node.filter) {
        properties.push(['Filter', deparse(node.filter, node.columns)]);
        estimate.rows = Math.max(1, Math.round(estimate.rows / 3));
      }
      break;
    }
    case 'virtualScan':
      nodeType = 'Function Scan';
      result.alias = node.name.split('.').pop();
      estimate = { startup: 0, total: 10, rows: 1000, width };
      break;
    case 'functionScan':
      nodeType = 'Function Scan';
      estimate = { startup: 0, total: 10, rows: 1000, width };
      break;
    case 'values':
      nodeType = 'Values Scan';
      result.alias = '*VALUES*';
      estimate = { startup: 0, total: node.rows.length * 0.0125, rows: node.rows.length, width };
      break;
    case 'result':
      nodeType = 'Result';
      estimate = { startup: 0, total: 0.01, rows: 1, width };
      break;
    case 'sort': {
      nodeType = 'Sort';
      const n = Math.max(2, childEstimate.rows);
      const sortCost = 2 * 0.0025 * n * Math.log2(n);
      estimate = { startup: childEstimate.total + sortCost, total: childEstimate.total + sortCost + n * 0.0025, rows: childEstimate.rows, width };
      properties.push(['Sort Key', node.keys.map((key) => `${deparse(key.expr, node.input.columns)}${key.descending ? ' DESC' : ''}${key.nullsFirst !== key.descending ? (key.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`)]);
      const sortStats = lastSortStatistics(node);
      if (actual && sortStats) {
        properties.push(['Sort Method', sortStats.method]);
        if (sortStats.method === 'external merge') properties.push(['Sort Space Used', Math.ceil(sortStats.diskBytes / 1024)], ['Sort Space Type', 'Disk']);
        else properties.push(['Sort Space Used', Math.max(25, Math.ceil(sortStats.memoryBytes / 1024))], ['Sort Space Type', 'Memory']);
      }
      break;
    }
    case 'limit':
      nodeType = 'Limit';
      estimate = { ...childEstimate, width };
      break;
    case 'aggregate': {
      const grouped = node.groupBy.length > 0;
      nodeType = 'Aggregate';
      result.strategy = node.groupingSets ? 'Mixed' : grouped ? 'Hashed' : 'Plain';
      if (grouped) properties.push([node.groupingSets ? 'Group Key' : 'Group Key', node.groupBy.map((expr) => deparse(expr, node.input.columns))]);
      const rows = grouped ? Math.max(1, Math.round(childEstimate.rows / 10)) : 1;
      estimate = { startup: childEstimate.total + childEstimate.rows * 0.01, total: childEstimate.total + childEstimate.rows * 0.01 + rows * 0.01, rows, width };
      break;
    }
    case 'distinct':
      nodeType = node.on ? 'Unique' : 'Aggregate';
      if (!node.on) result.strategy = 'Hashed';
      break;
    case 'join': {
      const outerJoin = { inner: 'Inner', cross: 'Inner', left: 'Left', right: 'Right', full: 'Full', semi: 'Semi', anti: 'Anti' }[node.joinType];
      nodeType = node.hashKeys ? 'Hash Join' : 'Nested Loop';
      result.joinType = outerJoin;
      const [left, right] = children as [ExplainNode, ExplainNode];
      const rows = Math.max(1, node.hashKeys ? Math.max(left.estimate.rows, right.estimate.rows) : Math.round(left.estimate.rows * right.estimate.rows / 3));
      estimate = node.hashKeys
        ? { startup: right.estimate.total, total: left.estimate.total + right.estimate.total + (left.estimate.rows + right.estimate.rows) * 0.01, rows, width }
        : { startup: 0, total: left.estimate.total + left.estimate.rows * right.estimate.total, rows, width };
      if (node.hashKeys) {
        properties.push(['Hash Cond', node.hashKeys.map((key) => `(${deparse(key.left, node.left.columns)} = ${deparse(key.right, node.right.columns)})`).join(' AND ')]);
        // PostgreSQL shows the build side under a Hash node.
        children[1] = { nodeType: 'Hash', estimate: { ...right.estimate }, properties: [], children: [right], ...(right.actual ? { actual: right.actual } : {}) };
      }
      if (node.condition) properties.push([node.hashKeys ? 'Join Filter' : 'Join Filter', deparse(node.condition, [...node.left.columns, ...node.right.columns])]);
      break;
    }
    case 'setOp':
      nodeType = node.op === 'union' ? (node.all ? 'Append' : 'HashAggregate') : 'HashSetOp';
      if (node.op !== 'union') properties.push(['Command', `${node.op === 'intersect' ? 'Intersect' : 'Except'}${node.all ? ' All' : ''}`]);
      estimate = { startup: 0, total: children.reduce((sum, child) => sum + child.estimate.total, 0), rows: children.reduce((sum, child) => sum + child.estimate.rows, 0), width };
      break;
    case 'materialize':
      nodeType = 'CTE Scan';
      break;
    case 'window':
      nodeType = 'WindowAgg';
      break;
    case 'lockRows':
      nodeType = 'LockRows';
      break;
    case 'projectSet':
      nodeType = 'ProjectSet';
      estimate = { ...childEstimate, rows: childEstimate.rows * 10, width };
      break;
    case 'recursiveUnion':
      nodeType = 'Recursive Union';
      estimate = { startup: 0, total: children.reduce((sum, child) => sum + child.estimate.total, 0) * 10, rows: (children[0]?.estimate.rows ?? 1) * 10, width };
      break;
    case 'workTableScan':
      nodeType = 'WorkTable Scan';
      result.relationName = node.name;
      result.alias = node.name;
      estimate = { startup: 0, total: 2, rows: 10, width };
      break;
    default:
      nodeType = (node as PlanNode).kind;
  }
  const relationships = node.kind === 'join' || node.kind === 'recursiveUnion' ? ['Outer', 'Inner'] : node.kind === 'setOp' ? ['Member', 'Member'] : ['Outer'];
  children.forEach((child, index) => (child.parentRelationship = relationships[index] ?? 'Outer'));
  return { nodeType, ...result, estimate, properties, children, ...(actual ? { actual } : {}) } as ExplainNode;
}

const fixed2 = (value: number) => value.toFixed(2);
const fixed3 = (value: number) => value.toFixed(3);
/** A number JSON.stringify must print with fixed decimals (PostgreSQL writes 0.00, not 0). */
const exact = (text: string) => `\u0000${text}`;
const unquoteExact = (json: string) => json.replace(/"\\u0000([-0-9.]+)"/g, '$1');

function textLabel(node: ExplainNode): string {
  let label = node.nodeType;
  if (node.nodeType === 'Aggregate') label = node.strategy === 'Hashed' ? 'HashAggregate' : node.strategy === 'Mixed' ? 'MixedAggregate' : 'Aggregate';
  if ((node.nodeType === 'Hash Join' || node.nodeType === 'Nested Loop') && node.joinType && node.joinType !== 'Inner') {
    label = node.nodeType === 'Hash Join' ? `Hash ${node.joinType} Join` : `Nested Loop ${node.joinType} Join`;
  }
  if (node.nodeType === 'Index Scan' || node.nodeType === 'Index Scan Backward') {
    const index = node.properties.find(([key]) => key === 'Index Name')?.[1];
    label = `${node.nodeType} using ${String(index)} on ${node.relationName}`;
  } else if (node.relationName) {
    label += ` on ${node.relationName}`;
  } else if (node.alias && node.nodeType !== 'CTE Scan') {
    label += ` on ${node.alias === '*VALUES*' ? '"*VALUES*"' : node.alias}`;
  }
  return label;
}

function textLines(node: ExplainNode, options: ExplainOptions, depth: number, lines: string[]): void {
  const indent = depth === 0 ? '' : `${' '.repeat(depth * 6 - 4)}->  `;
  const detailIndent = ' '.repeat(depth === 0 ? 2 : depth * 6 + 2);
  let line = `${indent}${textLabel(node)}`;
  if (options.costs) line += `  (cost=${fixed2(node.estimate.startup)}..${fixed2(node.estimate.total)} rows=${Math.round(node.estimate.rows)} width=${node.estimate.width})`;
  if (options.analyze) {
    if (node.actual && node.actual.loops > 0) {
      const loops = node.actual.loops;
      const time = options.timing ? `time=${fixed3(node.actual.startupMs / loops)}..${fixed3(node.actual.totalMs / loops)} ` : '';
      line += ` (actual ${time}rows=${Math.round(node.actual.rows / loops)} loops=${loops})`;
    } else {
      line += ' (never executed)';
    }
  }
  lines.push(line);
  for (const [key, value] of node.properties) {
    if (key === 'Index Name' || key === 'Sort Space Type') continue;
    if (key === 'Sort Method') {
      const space = node.properties.find(([k]) => k === 'Sort Space Used')?.[1];
      const type = node.properties.find(([k]) => k === 'Sort Space Type')?.[1];
      lines.push(`${detailIndent}Sort Method: ${value}  ${type === 'Disk' ? 'Disk' : 'Memory'}: ${space}kB`);
      continue;
    }
    if (key === 'Sort Space Used') continue;
    lines.push(`${detailIndent}${key}: ${Array.isArray(value) ? value.join(', ') : value}`);
  }
  if (options.analyze && options.buffers && node.actual) {
    const parts = [node.actual.cacheHits > 0 ? `hit=${node.actual.cacheHits}` : '', node.actual.cacheMisses > 0 ? `read=${node.actual.cacheMisses}` : ''].filter(Boolean);
    if (parts.length > 0) lines.push(`${detailIndent}Buffers: shared ${parts.join(' ')}`);
  }
  for (const child of node.children) textLines(child, options, depth + 1, lines);
}

function jsonNode(node: ExplainNode, options: ExplainOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { 'Node Type': node.nodeType };
  if (node.strategy) out.Strategy = node.strategy;
  if (node.parentRelationship) out['Parent Relationship'] = node.parentRelationship;
  out['Parallel Aware'] = false;
  out['Async Capable'] = false;
  if (node.joinType) out['Join Type'] = node.joinType;
  if (node.relationName) out['Relation Name'] = node.relationName;
  if (node.alias) out.Alias = node.alias;
  if (options.costs) {
    out['Startup Cost'] = exact(fixed2(node.estimate.startup));
    out['Total Cost'] = exact(fixed2(node.estimate.total));
    out['Plan Rows'] = Math.round(node.estimate.rows);
    out['Plan Width'] = node.estimate.width;
  }
  if (options.analyze) {
    const loops = node.actual?.loops ?? 0;
    if (options.timing) {
      out['Actual Startup Time'] = exact(fixed3(loops ? node.actual!.startupMs / loops : 0));
      out['Actual Total Time'] = exact(fixed3(loops ? node.actual!.totalMs / loops : 0));
    }
    out['Actual Rows'] = loops ? Math.round(node.actual!.rows / loops) : 0;
    out['Actual Loops'] = loops;
  }
  for (const [key, value] of node.properties) out[key] = value;
  if (options.analyze && options.buffers) {
    out['Shared Hit Blocks'] = node.actual?.cacheHits ?? 0;
    out['Shared Read Blocks'] = node.actual?.cacheMisses ?? 0;
    out['Shared Dirtied Blocks'] = 0;
    out['Shared Written Blocks'] = 0;
    out['Local Hit Blocks'] = 0;
    out['Local Read Blocks'] = 0;
    out['Local Dirtied Blocks'] = 0;
    out['Local Written Blocks'] = 0;
    out['Temp Read Blocks'] = 0;
    out['Temp Written Blocks'] = 0;
  }
  if (node.children.length > 0) out.Plans = node.children.map((child) => jsonNode(child, options));
  return out;
}

export interface ExplainTimes {
  planningMs: number;
  executionMs?: number;
}

/** The EXPLAIN output rows (one line each for TEXT, a single JSON document for JSON). */
export function explainOutput(plan: PlanNode, options: ExplainOptions, times: ExplainTimes, stats?: Instrumentation, tableRows: TableRowEstimates = () => undefined): string[] {
  const tree = build(plan, stats, tableRows);
  const summary = options.summary ?? options.analyze;
  if (options.format === 'json') {
    const document: Record<string, unknown> = { Plan: jsonNode(tree, options) };
    if (summary) document['Planning Time'] = exact(fixed3(times.planningMs));
    if (options.analyze) {
      document.Triggers = [];
      if (summary) document['Execution Time'] = exact(fixed3(times.executionMs ?? 0));
    }
    return [unquoteExact(JSON.stringify([document], null, 2))];
  }
  const lines: string[] = [];
  textLines(tree, options, 0, lines);
  if (summary) lines.push(`Planning Time: ${fixed3(times.planningMs)} ms`);
  if (options.analyze && summary) lines.push(`Execution Time: ${fixed3(times.executionMs ?? 0)} ms`);
  return lines;
}

/** Reads EXPLAIN's option list (DefElem nodes) as PostgreSQL does; unknown options are errors. */
export function explainOptions(defElems: Array<Record<string, any>> | undefined, fail: (message: string) => never): ExplainOptions {
  const options: ExplainOptions = { analyze: false, buffers: false, costs: true, timing: true, summary: false, verbose: false, format: 'text' };
  let summarySet = false;
  let timingSet = false;
  for (const item of defElems ?? []) {
    const element = item.DefElem ?? item;
    const name: string = element.defname;
    const arg = element.arg;
    const text: string | undefined = arg?.String?.sval ?? arg?.Boolean?.boolval?.toString() ?? (arg?.Integer ? String(arg.Integer.ival ?? 0) : undefined) ?? (arg?.A_Const ? String(Object.values(arg.A_Const)[0]) : undefined);
    const flag = () => {
      if (text === undefined) return true;
      const lowered = text.toLowerCase();
      if (['true', 'on', '1', 'yes'].includes(lowered)) return true;
      if (['false', 'off', '0', 'no'].includes(lowered)) return false;
      return fail(`${name} requires a Boolean value`);
    };
    switch (name) {
      case 'analyze': options.analyze = flag(); break;
      case 'buffers': options.buffers = flag(); break;
      case 'costs': options.costs = flag(); break;
      case 'timing': options.timing = flag(); timingSet = true; break;
      case 'summary': options.summary = flag(); summarySet = true; break;
      case 'verbose': options.verbose = flag(); break;
      case 'settings': case 'wal': flag(); break;
      case 'format': {
        const format = (text ?? '').toLowerCase();
        if (format !== 'text' && format !== 'json') return fail(`unrecognized value for EXPLAIN option "format": "${text}"`);
        options.format = format;
        break;
      }
      default:
        return fail(`unrecognized EXPLAIN option "${name}"`);
    }
  }
  if (!summarySet) options.summary = options.analyze;
  if (!timingSet) options.timing = options.analyze;
  if (timingSet && options.timing && !options.analyze) return fail('EXPLAIN option TIMING requires ANALYZE');
  return options;
}
