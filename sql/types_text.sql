-- Text types and string functions: char(n) padding, varchar(n) limits, concatenation, NULLs.
select 'a' || 'b', 'x' || null, concat('a', null, 'b'), length('héllo'), octet_length('héllo');
select upper('MiXed'), lower('MiXed'), substring('abcdef' from 2 for 3), position('c' in 'abc');
select trim('  pad  '), ltrim('xxy', 'x'), rtrim('yxx', 'x'), replace('a-b-c', '-', '+');
select 'ab'::char(4) || '|', length('ab'::char(4)), 'ab'::varchar(4), 'abcdef'::varchar(3);
create table words (c char(5), v varchar(5), t text);
insert into words values ('ab', 'ab', 'ab');
insert into words values ('abcdefg', 'x', 'x');
insert into words values ('x', 'abcdefg', 'x');
insert into words values (null, '', 'it''s');
select '[' || c || ']', '[' || v || ']', t, c = 'ab', c is null from words order by t;
select t like 'a%', t ilike 'A%', t not like '%b' from words order by t;
select 'abc' < 'abd', 'B' < 'a', 'a' = 'a ', coalesce(null, 'fallback'), nullif('a', 'a');
select left('abcdef', 2), right('abcdef', 2), repeat('ab', 3), lpad('7', 3, '0'), strpos('hello', 'l');
drop table words;
