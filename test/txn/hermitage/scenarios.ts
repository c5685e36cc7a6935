// Adya's anomalies as catalogued by the Hermitage project (github.com/ept/hermitage), each a
// fixed interleaving of statements from several connections. Every scenario runs at READ
// COMMITTED, REPEATABLE READ and SERIALIZABLE; what PostgreSQL 15 does is the reference.
// `begin` steps become `begin; set transaction isolation level <level>` for the level under hermitage_test.

export type Level = 'read committed' | 'repeatable read' | 'serializable';
export const levels: Level[] = ['read committed', 'repeatable read', 'serializable'];

/** [session number, SQL]; session numbers start at 1. */
export type Step = readonly [number, string];

export interface Scenario {
  name: string;
  description: string;
  steps: readonly Step[];
}

export const setupStatements = [
  'drop table if exists hermitage_test',
  'create table hermitage_test (id int primary key, value int)',
  'insert into hermitage_test (id, value) values (1, 10), (2, 20)',
];

const begin2: Step[] = [
  [1, 'begin'],
  [2, 'begin'],
];
const begin3: Step[] = [...begin2, [3, 'begin']];

export const scenarios: Scenario[] = [
  {
    name: 'G0',
    description: 'write cycles (dirty writes)',
    steps: [
      ...begin2,
      [1, 'update hermitage_test set value = 11 where id = 1'],
      [2, 'update hermitage_test set value = 12 where id = 1'],
      [1, 'update hermitage_test set value = 21 where id = 2'],
      [1, 'commit'],
      [1, 'select * from hermitage_test order by id'],
      [2, 'update hermitage_test set value = 22 where id = 2'],
      [2, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  {
    name: 'G1a',
    description: 'aborted reads',
    steps: [
      ...begin2,
      [1, 'update hermitage_test set value = 101 where id = 1'],
      [2, 'select * from hermitage_test order by id'],
      [1, 'abort'],
      [2, 'select * from hermitage_test order by id'],
      [2, 'commit'],
    ],
  },
  {
    name: 'G1b',
    description: 'intermediate reads',
    steps: [
      ...begin2,
      [1, 'update hermitage_test set value = 101 where id = 1'],
      [2, 'select * from hermitage_test order by id'],
      [1, 'update hermitage_test set value = 11 where id = 1'],
      [1, 'commit'],
      [2, 'select * from hermitage_test order by id'],
      [2, 'commit'],
    ],
  },
  {
    name: 'G1c',
    description: 'circular information flow',
    steps: [
      ...begin2,
      [1, 'update hermitage_test set value = 11 where id = 1'],
      [2, 'update hermitage_test set value = 22 where id = 2'],
      [1, 'select * from hermitage_test where id = 2'],
      [2, 'select * from hermitage_test where id = 1'],
      [1, 'commit'],
      [2, 'commit'],
    ],
  },
  {
    name: 'OTV',
    description: 'observed transaction vanishes',
    steps: [
      ...begin3,
      [1, 'update hermitage_test set value = 11 where id = 1'],
      [1, 'update hermitage_test set value = 19 where id = 2'],
      [2, 'update hermitage_test set value = 12 where id = 1'],
      [1, 'commit'],
      [3, 'select * from hermitage_test where id = 1'],
      [2, 'update hermitage_test set value = 18 where id = 2'],
      [3, 'select * from hermitage_test where id = 2'],
      [2, 'commit'],
      [3, 'select * from hermitage_test where id = 2'],
      [3, 'select * from hermitage_test where id = 1'],
      [3, 'commit'],
    ],
  },
  {
    name: 'PMP',
    description: 'predicate-many-preceders',
    steps: [
      ...begin2,
      [1, 'select * from hermitage_test where value = 30'],
      [2, 'insert into hermitage_test (id, value) values (3, 30)'],
      [2, 'commit'],
      [1, 'select * from hermitage_test where value % 3 = 0'],
      [1, 'commit'],
    ],
  },
  {
    name: 'PMP-write',
    description: 'predicate-many-preceders with write predicates',
    steps: [
      ...begin2,
      [1, 'update hermitage_test set value = value + 10'],
      [2, 'delete from hermitage_test where value = 20'],
      [1, 'commit'],
      [2, 'select * from hermitage_test where value = 20'],
      [2, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  {
    name: 'P4',
    description: 'lost update',
    steps: [
      ...begin2,
      [1, 'select * from hermitage_test where id = 1'],
      [2, 'select * from hermitage_test where id = 1'],
      [1, 'update hermitage_test set value = 11 where id = 1'],
      [2, 'update hermitage_test set value = 11 where id = 1'],
      [1, 'commit'],
      [2, 'commit'],
    ],
  },
  {
    name: 'G-single',
    description: 'read skew',
    steps: [
      ...begin2,
      [1, 'select * from hermitage_test where id = 1'],
      [2, 'select * from hermitage_test where id = 1'],
      [2, 'select * from hermitage_test where id = 2'],
      [2, 'update hermitage_test set value = 12 where id = 1'],
      [2, 'update hermitage_test set value = 18 where id = 2'],
      [2, 'commit'],
      [1, 'select * from hermitage_test where id = 2'],
      [1, 'commit'],
    ],
  },
  {
    name: 'G-single-dependencies',
    description: 'read skew through predicate dependencies',
    steps: [
      ...begin2,
      [1, 'select * from hermitage_test where value % 5 = 0 order by id'],
      [2, 'update hermitage_test set value = 12 where value = 10'],
      [2, 'commit'],
      [1, 'select * from hermitage_test where value % 3 = 0'],
      [1, 'commit'],
    ],
  },
  {
    name: 'G-single-write',
    description: 'read skew through a write predicate',
    steps: [
      ...begin2,
      [1, 'select * from hermitage_test where id = 1'],
      [2, 'select * from hermitage_test order by id'],
      [2, 'update hermitage_test set value = 12 where id = 1'],
      [2, 'update hermitage_test set value = 18 where id = 2'],
      [2, 'commit'],
      [1, 'delete from hermitage_test where value = 20'],
      [1, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  {
    name: 'G2-item',
    description: 'write skew',
    steps: [
      ...begin2,
      [1, 'select * from hermitage_test where id in (1, 2) order by id'],
      [2, 'select * from hermitage_test where id in (1, 2) order by id'],
      [1, 'update hermitage_test set value = 11 where id = 1'],
      [2, 'update hermitage_test set value = 21 where id = 2'],
      [1, 'commit'],
      [2, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  {
    name: 'G2',
    description: 'anti-dependency cycles through predicate reads',
    steps: [
      ...begin2,
      [1, 'select * from hermitage_test where value % 3 = 0'],
      [2, 'select * from hermitage_test where value % 3 = 0'],
      [1, 'insert into hermitage_test (id, value) values (3, 30)'],
      [2, 'insert into hermitage_test (id, value) values (4, 42)'],
      [1, 'commit'],
      [2, 'commit'],
      [1, 'select * from hermitage_test where value % 3 = 0 order by id'],
    ],
  },
  {
    name: 'G2-two-edges',
    description: "anti-dependency cycles: Fekete et al.'s example with two anti-dependency edges",
    steps: [
      [1, 'begin'],
      [1, 'select * from hermitage_test order by id'],
      [2, 'begin'],
      [2, 'update hermitage_test set value = value + 5 where id = 2'],
      [2, 'commit'],
      [3, 'begin'],
      [3, 'select * from hermitage_test order by id'],
      [3, 'commit'],
      [1, 'update hermitage_test set value = 0 where id = 1'],
      [1, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  // Beyond Hermitage: row locks and unique keys as PostgreSQL handles them.
  {
    name: 'insert-same-key',
    description: 'concurrent inserts of one key: the second waits, then 23505',
    steps: [
      ...begin2,
      [1, 'insert into hermitage_test (id, value) values (3, 30)'],
      [2, 'insert into hermitage_test (id, value) values (3, 31)'],
      [1, 'commit'],
      [2, 'rollback'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  {
    name: 'insert-same-key-rollback',
    description: 'concurrent inserts of one key: the first rolls back, the second inserts',
    steps: [
      ...begin2,
      [1, 'insert into hermitage_test (id, value) values (3, 30)'],
      [2, 'insert into hermitage_test (id, value) values (3, 31)'],
      [1, 'rollback'],
      [2, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  {
    name: 'for-update-nowait-skip-locked',
    description: 'SELECT … FOR UPDATE blocks writers; NOWAIT fails with 55P03; SKIP LOCKED skips',
    steps: [
      ...begin3,
      [1, 'select * from hermitage_test where id = 1 for update'],
      [2, 'select * from hermitage_test where id = 1 for update nowait'],
      [3, 'select * from hermitage_test order by id for update skip locked'],
      [3, 'commit'],
      [2, 'rollback'],
      [2, 'begin'],
      [2, 'select * from hermitage_test where id = 1 for share'],
      [1, 'commit'],
      [2, 'commit'],
    ],
  },
  {
    name: 'for-key-share-vs-no-key-update',
    description: 'FOR KEY SHARE does not block a non-key UPDATE; FOR SHARE does',
    steps: [
      ...begin2,
      [1, 'select * from hermitage_test where id = 1 for key share'],
      [2, 'update hermitage_test set value = 11 where id = 1'],
      [2, 'commit'],
      [1, 'commit'],
      [1, 'begin'],
      [1, 'select * from hermitage_test where id = 2 for share'],
      [2, 'begin'],
      [2, 'update hermitage_test set value = 21 where id = 2'],
      [1, 'commit'],
      [2, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  {
    name: 'lock-timeout',
    description: 'lock_timeout cancels a row-lock wait with 55P03',
    steps: [
      ...begin2,
      [1, 'update hermitage_test set value = 11 where id = 1'],
      [2, "set local lock_timeout = '50ms'"],
      [2, 'update hermitage_test set value = 12 where id = 1'],
      [2, 'rollback'],
      [1, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
  {
    name: 'deadlock',
    description: 'two transactions updating two rows in opposite orders: one gets 40P01',
    steps: [
      ...begin2,
      [1, 'update hermitage_test set value = 11 where id = 1'],
      [2, 'update hermitage_test set value = 22 where id = 2'],
      [1, 'update hermitage_test set value = 21 where id = 2'],
      [2, 'update hermitage_test set value = 12 where id = 1'],
      [1, 'commit'],
      [2, 'commit'],
      [1, 'select * from hermitage_test order by id'],
    ],
  },
];
