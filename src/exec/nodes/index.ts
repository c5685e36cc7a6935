// Opens a plan node as a pull iterator; one file per node kind.
import type { PlanNode } from '../../plan/index.js';
import { unreachable } from '../../util/assert.js';
import { SqlError, SqlState } from '../../util/errors.js';
import type { ExecState, RowSource } from '../state.js';
import { openAggregate } from './aggregate.js';
import { openJoin } from './join.js';
import { openDistinct, openFilter, openLimit, openMaterialize, openProject } from './relational.js';
import { openProjectSet } from './project-set.js';
import { openWindow } from './window.js';
import { openFunctionScan, openResult, openValues, openVirtualScan } from './simple-scans.js';
import { openSetOp } from './set-op.js';
import { openExternalSort } from './external-sort.js';
import { openTableScan } from './table-scan.js';
import { instrumentSource } from '../explain-analyze/instrument.js';
import { openLimitWithTies } from './limit-with-ties.js';
import { openGroupingSets } from './grouping-sets.js';
import { openSpillingAggregate } from './spilling-aggregate.js';
import { openSpillingHashJoin, spillingHashJoinApplies } from './spilling-hash-join.js';
import { openRecursiveUnion, openWorkTableScan } from './recursive-union.js';

export function openPlan(node: PlanNode, state: ExecState): RowSource {
  return instrumentSource(node, state, () => openPlanNode(node, state));
}

function openPlanNode(node: PlanNode, state: ExecState): RowSource {
  switch (node.kind) {
    case 'result':
      return openResult(node, state);
    case 'values':
      return openValues(node, state);
    case 'tableScan':
      return openTableScan(node, state);
    case 'virtualScan':
      return openVirtualScan(node, state);
    case 'functionScan':
      return openFunctionScan(node, state);
    case 'filter':
      return openFilter(node, state, openPlan);
    case 'project':
      return openProject(node, state, openPlan);
    case 'projectSet':
      return openProjectSet(node, state, openPlan);
    case 'sort':
      return openExternalSort(node, state, openPlan);
    case 'limit':
      return node.withTies ? openLimitWithTies(node, state, openPlan) : openLimit(node, state, openPlan);
    case 'aggregate':
      return node.groupingSets ? openGroupingSets(node, node.groupingSets, state, openPlan) : openSpillingAggregate(node, state, openPlan);
    case 'distinct':
      return openDistinct(node, state, openPlan);
    case 'join':
      return spillingHashJoinApplies(node) ? openSpillingHashJoin(node, state, openPlan) : openJoin(node, state, openPlan);
    case 'window':
      return openWindow(node, state, openPlan);
    case 'lockRows':
      throw new SqlError(SqlState.featureNotSupported, 'FOR UPDATE/SHARE is not supported in subqueries');
    case 'setOp':
      return openSetOp(node, state, openPlan);
    case 'materialize':
      return openMaterialize(node, state, openPlan);
    case 'recursiveUnion':
      return openRecursiveUnion(node, state, openPlan);
    case 'workTableScan':
      return openWorkTableScan(node, state);
    default:
      return unreachable(node);
  }
}

export type OpenPlan = typeof openPlan;
