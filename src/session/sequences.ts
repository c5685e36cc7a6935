// Sequence values live outside transactions (nextval is never rolled back, like PostgreSQL).
// Each sequence's state is one record in a system tree, written with its own engine commit;
// to keep nextval cheap a block of values is reserved per write (PostgreSQL logs 32 ahead), so
// a crash may skip up to that many values, as in PostgreSQL.
import type { Engine } from '../engine/api.js';
import type { SequenceObject } from '../catalog/index.js';
import { oidKey } from '../catalog/index.js';
import { SqlError, SqlState } from '../util/errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const reserveAhead = 32n;

interface SequenceState {
  last: bigint;
  called: boolean;
  /** Values up to here are already durable in the tree. */
  reservedUpTo: bigint;
}

export class SequenceStore {
  private readonly states = new Map<number, SequenceState>();

  constructor(private readonly engine: Engine, private readonly tree: number) {}

  private load(sequence: SequenceObject): SequenceState {
    let state = this.states.get(sequence.oid);
    if (!state) {
      const view = this.engine.view();
      try {
        const stored = view.get(this.tree, oidKey(sequence.oid));
        if (stored) {
          const { last, called } = JSON.parse(decoder.decode(stored)) as { last: string; called: boolean };
          state = { last: BigInt(last), called, reservedUpTo: BigInt(last) };
        } else {
          state = { last: sequence.start, called: false, reservedUpTo: sequence.start };
        }
      } finally {
        view.release();
      }
      this.states.set(sequence.oid, state);
    }
    return state;
  }

  private persist(oid: number, last: bigint, called: boolean): void {
    this.engine.commit([{ kind: 'put', tree: this.tree, key: oidKey(oid), value: encoder.encode(JSON.stringify({ last: String(last), called })) }]);
  }

  reset(sequence: SequenceObject, value: bigint, called: boolean): void {
    this.states.set(sequence.oid, { last: value, called, reservedUpTo: value });
    this.persist(sequence.oid, value, called);
  }

  nextval(sequence: SequenceObject): bigint {
    const state = this.load(sequence);
    let next: bigint;
    if (!state.called) {
      next = state.last;
    } else {
      next = state.last + sequence.increment;
      if (next > sequence.max || next < sequence.min) {
        if (!sequence.cycle) {
          const limit = sequence.increment > 0n ? sequence.max : sequence.min;
          throw new SqlError('2200H', `nextval: reached ${sequence.increment > 0n ? 'maximum' : 'minimum'} value of sequence "${sequence.name}" (${limit})`);
        }
        next = sequence.increment > 0n ? sequence.min : sequence.max;
      }
    }
    state.last = next;
    state.called = true;
    const beyond = sequence.increment > 0n ? next >= state.reservedUpTo : next <= state.reservedUpTo;
    if (beyond) {
      let reserved = next + sequence.increment * reserveAhead;
      if (reserved > sequence.max) reserved = sequence.max;
      if (reserved < sequence.min) reserved = sequence.min;
      state.reservedUpTo = reserved;
      this.persist(sequence.oid, reserved, true);
    }
    return next;
  }

  setval(sequence: SequenceObject, value: bigint, called: boolean): bigint {
    if (value < sequence.min || value > sequence.max) {
      throw new SqlError(SqlState.numericValueOutOfRange, `setval: value ${value} is out of bounds for sequence "${sequence.name}" (${sequence.min}..${sequence.max})`);
    }
    this.reset(sequence, value, called);
    return value;
  }

  state(sequence: SequenceObject): [bigint, boolean] {
    const state = this.load(sequence);
    return [state.last, state.called];
  }
}
