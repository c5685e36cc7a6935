// Polymorphic argument consistency (check_generic_type_consistency) for the binder.
import { expect } from 'chai';
import { TypeOid, commonType, polymorphicArgumentsConsistent } from '../../src/types/index.js';
import { PseudoType } from '../../src/types/functions/api.js';

const { anyarray, anyelement, anynonarray, anycompatible, anycompatiblearray } = PseudoType;
const T = TypeOid;

describe('types: polymorphic argument consistency', () => {
  it('anycompatible family: text[] || text[] fits array_cat only', () => {
    expect(polymorphicArgumentsConsistent([anycompatiblearray, anycompatiblearray], [T._text, T._text])).to.equal(true);
    expect(polymorphicArgumentsConsistent([anycompatiblearray, anycompatible], [T._text, T._text])).to.equal(false);
    expect(polymorphicArgumentsConsistent([anycompatible, anycompatiblearray], [T._text, T._text])).to.equal(false);
    expect(polymorphicArgumentsConsistent([anycompatiblearray, anycompatible], [T._text, T.text])).to.equal(true);
    expect(polymorphicArgumentsConsistent([anycompatiblearray, anycompatible], [T._int4, T.int8])).to.equal(true);
    expect(polymorphicArgumentsConsistent([anycompatiblearray, anycompatible], [T._int4, T.text])).to.equal(false);
    expect(polymorphicArgumentsConsistent([anycompatiblearray, anycompatible], [T._int4, T.unknown])).to.equal(true);
  });

  it('anyelement family: one element type; anynonarray rejects arrays', () => {
    expect(polymorphicArgumentsConsistent([anyarray, anyarray], [T._int4, T._text])).to.equal(false);
    expect(polymorphicArgumentsConsistent([anyarray, anyarray], [T._int4, T._int4])).to.equal(true);
    expect(polymorphicArgumentsConsistent([anyarray, anyelement], [T._int4, T.int4])).to.equal(true);
    expect(polymorphicArgumentsConsistent([anyarray, anyelement], [T._int4, T.int8])).to.equal(false);
    expect(polymorphicArgumentsConsistent([T.text, anynonarray], [T.text, T._text])).to.equal(false);
    expect(polymorphicArgumentsConsistent([T.text, anynonarray], [T.text, T.int4])).to.equal(true);
  });

  it('common types follow implicit casts within a category', () => {
    expect(commonType([T.int4, T.int8, T.numeric])).to.equal(T.numeric);
    expect(commonType([T.int4, T.float8])).to.equal(T.float8);
    expect(commonType([T.text, T.varchar])).to.equal(T.text);
    expect(commonType([T.int4, T.text])).to.equal(undefined);
  });
});
