// String functions, LIKE/ILIKE/SIMILAR TO and regular expressions against PostgreSQL 15.
import { expect } from 'chai';
import { Oid } from '../../src/types/functions/oids.js';
import { arg, closeOracle, compareFunction, compareOperator, describeMismatches, product, type Argument, type Mismatch } from './oracle.js';

const texts = [null, '', 'abc', 'Hello World', ' pad me  ', 'héllo wörld', '日本語テキスト', 'a😀b', "it's", 'back\\slash', 'x,y,,z'];
const ints = [null, -3, -1, 0, 1, 2, 5, 100];

const text = (v: string | null) => arg(Oid.text, v);
const int4 = (v: number | null) => arg(Oid.int4, v === null ? null : String(v));

async function checkAll(cases: { name: string; args: Argument[]; set?: boolean }[]): Promise<void> {
  const mismatches: Mismatch[] = [];
  for (const c of cases) {
    const mismatch = await compareFunction(c.name, c.args, { set: c.set ?? false });
    if (mismatch) mismatches.push(mismatch);
  }
  expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
}

function matrix(name: string, lists: Argument[][], set = false) {
  return product(lists).map((args) => ({ name, args, set }));
}

const textArgs = texts.map(text);
const intArgs = ints.map(int4);

describe('functions: strings against PostgreSQL', function () {
  this.timeout(60_000);
  after(closeOracle);

  it('length family, case mapping, reverse, md5, ascii', async () => {
    const names = ['length', 'char_length', 'octet_length', 'bit_length', 'lower', 'upper', 'initcap', 'reverse', 'md5', 'ascii', 'quote_ident', 'quote_literal', 'quote_nullable', 'btrim', 'ltrim', 'rtrim'];
    const cases = names.flatMap((name) => matrix(name, [textArgs]));
    cases.push(...matrix('length', [['ab  ', 'é ', '', null].map((v) => arg(Oid.bpchar, v))]));
    cases.push(...matrix('quote_ident', [['select', 'Abc', 'a$b', '_x1', 'a"b', 'user', 'name', 'tablespace'].map(text)]));
    await checkAll(cases);
  });

  it('substring, substr, left, right, repeat, lpad, rpad, split_part, strpos', async () => {
    const short = [null, '', 'abc', 'héllo', 'a😀b'].map(text);
    await checkAll([
      ...matrix('substring', [short, intArgs, intArgs]),
      ...matrix('substr', [short, intArgs]),
      ...matrix('left', [short, intArgs]),
      ...matrix('right', [short, intArgs]),
      ...matrix('repeat', [short, intArgs]),
      ...matrix('lpad', [short, intArgs, [null, '', 'xy', 'é'].map(text)]),
      ...matrix('rpad', [short, intArgs]),
      ...matrix('split_part', [['a,b,c', ',a,,b,', '', 'abc', null].map(text), [',', '', 'b', ',,', null].map(text), intArgs]),
      ...matrix('strpos', [short, ['', 'b', 'l', '😀', 'zz', null].map(text)]),
      ...matrix('position', [short, ['', 'b', 'l', '😀', null].map(text)]),
      ...matrix('starts_with', [short, ['', 'a', 'h', null].map(text)]),
    ]);
  });

  it('trim with characters, replace, translate, chr, to_hex', async () => {
    await checkAll([
      ...matrix('btrim', [['xxaxx', 'xyhixy', '', 'abc', null].map(text), ['x', 'xy', '', 'é', null].map(text)]),
      ...matrix('ltrim', [['xxaxx', 'xyhixy', ''].map(text), ['x', 'yx'].map(text)]),
      ...matrix('rtrim', [['xxaxx', 'xyhixy', ''].map(text), ['x', 'yx'].map(text)]),
      ...matrix('replace', [['abcabc', '', 'héllo', null].map(text), ['b', '', 'bc', 'é', null].map(text), ['X', '', 'ZZ', null].map(text)]),
      ...matrix('translate', [['abcabc', 'héllo'].map(text), ['abc', 'é', 'aa'].map(text), ['x', 'XYZ', ''].map(text)]),
      ...matrix('chr', [[65, 0, -1, 233, 128512, 1114112, 55296, null].map(int4)]),
      ...matrix('to_hex', [[0, 255, -1, 2147483647, -2147483648, null].map(int4)]),
      ...matrix('to_hex', [['0', '-1', '9223372036854775807', '-9223372036854775808'].map((v) => arg(Oid.int8, v))]),
    ]);
  });

  it('LIKE, ILIKE, like_escape and SIMILAR TO', async () => {
    const subjects = ['abc', 'ABC', '', 'a%c', 'a_c', 'héllo', 'a\\b', 'ab  ', null].map(text);
    const patterns = ['abc', 'a%', '%c', 'a_c', '%', '_', '', 'A%', 'a\\%c', 'a\\_c', 'h_llo', 'a\\\\b', '%b%', 'abc\\', null].map(text);
    const mismatches: Mismatch[] = [];
    for (const [s, p] of product([subjects, patterns])) {
      for (const op of ['~~', '!~~', '~~*', '!~~*']) {
        const mismatch = await compareOperator(op, s!, p!);
        if (mismatch) mismatches.push(mismatch);
      }
    }
    for (const [s, p] of product([['ab', 'ab  ', 'a'].map((v) => arg(Oid.bpchar, v)), ['ab', 'ab%', 'ab  '].map(text)])) {
      const mismatch = await compareOperator('~~', s!, p!);
      if (mismatch) mismatches.push(mismatch);
    }
    expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
    await checkAll([
      ...matrix('like_escape', [['a%b', 'a#%b', 'a##b', 'a\\b', 'a#'].map(text), ['', '#', '\\', 'ab', null].map(text)]),
      ...matrix('similar_to_escape', [['abc', 'a%', '(a|b)_', '[a-c]+', '%#"o_b#"%', 'a.b^$', 'a\\b', '#"a#"#"b#"#"c'].map(text)]),
      ...matrix('similar_to_escape', [['a#%', '%#"x#"%', 'a\\b'].map(text), ['#', '', 'ab', '\\'].map(text)]),
      ...matrix('substring', [['foobar', 'xaya', 'abc', ''].map(text), ['%#"o_b#"%', '%#"a%#"', 'a%', '%#"b%'].map(text), ['#'].map(text)]),
    ]);
  });

  it('regular expression operators', async () => {
    const subjects = ['abc', 'ABC', '', 'foo bar', 'line1\nline2', 'héllo', 'a1b22c333', 'x.y'].map(text);
    const patterns = [
      'abc', '^a', 'c$', 'b+', 'A', '[a-c]+', '[[:alpha:]]+', '[[:digit:]]{2,}', '\\d+', '\\w+\\s\\w+', '^line2', 'line1$', '.', 'x\\.y', '(a|b)c',
      '\\mbar', 'o\\M', '\\ybar\\y', 'h.llo', '[^a-z]', '(?i)abc', '***=x.y', 'a{2', '*', '(', '[b-a]', '\\q', '(a)\\1', 'é', '^(?:x|y)\\.',
    ].map(text);
    const mismatches: Mismatch[] = [];
    for (const [s, p] of product([subjects, patterns])) {
      for (const op of ['~', '~*', '!~']) {
        const mismatch = await compareOperator(op, s!, p!);
        if (mismatch) mismatches.push(mismatch);
      }
    }
    expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
  });

  it('regexp functions', async () => {
    const subjects = ['foobarbaz', 'abc123def45', '', 'a,b,,c', 'héllo wörld', 'The Quick Brown fox'].map(text);
    const patterns = ['o+', '(\\d+)', '([a-z])(\\d)?', ',', '\\s*', 'b(a)(r)?', '', 'x*', '[[:upper:]]', 'l'].map(text);
    const flags = ['', 'g', 'i', 'gi', 'z'].map(text);
    await checkAll([
      ...matrix('regexp_match', [subjects, patterns]),
      ...matrix('regexp_match', [subjects.slice(0, 2), patterns.slice(0, 3), flags]),
      ...matrix('regexp_matches', [subjects, patterns], true),
      ...matrix('regexp_matches', [subjects, patterns, flags], true),
      ...matrix('regexp_replace', [subjects, patterns, ['X', '<\\1>', '[\\&]', '\\\\', ''].map(text)]),
      ...matrix('regexp_replace', [subjects, patterns.slice(0, 4), ['<\\1>'].map(text), flags]),
      ...matrix('regexp_replace', [subjects.slice(0, 2), patterns.slice(0, 3), ['X'].map(text), [1, 3, 0].map(int4), [0, 1, 2].map(int4)]),
      ...matrix('regexp_split_to_array', [subjects, patterns]),
      ...matrix('regexp_split_to_table', [subjects, patterns], true),
      ...matrix('regexp_count', [subjects, patterns]),
      ...matrix('regexp_like', [subjects, patterns, flags]),
      ...matrix('regexp_substr', [subjects, patterns.slice(0, 4), [1, 2].map(int4), [1, 2].map(int4)]),
      ...matrix('regexp_instr', [subjects, patterns.slice(0, 4), [1, 2].map(int4), [1, 2].map(int4), [0, 1].map(int4)]),
      ...matrix('substring', [subjects, patterns]),
    ]);
  });

  it('encode, decode, overlay, normalize', async () => {
    const blobs = ['\\x', '\\x00ff5c41', '\\x68656c6c6f', '\\x' + 'ab'.repeat(70), null].map((v) => arg(Oid.bytea, v));
    const formats = ['hex', 'base64', 'escape', 'Base64', 'bogus'].map(text);
    await checkAll([
      ...matrix('encode', [blobs, formats]),
      ...matrix('decode', [['', '00ff', 'abc', 'a b', 'zz', 'aGVsbG8=', 'aGVsbG8', 'aGVs\nbG8=', 'a=b', 'x\\\\y\\001', 'bad\\q', null].map(text), formats]),
      ...matrix('overlay', [['Txxxxas', 'héllo', ''].map(text), ['hom', 'X', ''].map(text), [2, 1, 0, 9].map(int4), [4, 0, 1].map(int4)]),
      ...matrix('overlay', [['Txxxxas'].map(text), ['hom'].map(text), [2, 0].map(int4)]),
      ...matrix('normalize', [['e\u0301', 'ﬁ', 'Å', 'abc'].map((v) => text(JSON.parse(`"${v}"`) as string)), ['NFC', 'NFD', 'NFKC', 'nfkd', 'XYZ'].map(text)]),
      ...matrix('is_normalized', [['e\u0301', 'é'].map((v) => text(JSON.parse(`"${v}"`) as string)), ['NFC', 'NFD'].map(text)]),
    ]);
  });
});
