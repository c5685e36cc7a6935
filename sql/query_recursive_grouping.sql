-- WITH RECURSIVE (issue 7), GROUPING SETS / ROLLUP / CUBE with GROUPING(), and FETCH WITH TIES.
create table g (id int primary key, k int, a int, b text);
insert into g values (1, 2, 1, 'x'), (2, 3, 1, 'y'), (3, 1, 2, 'x'), (4, null, 2, null), (5, 4, null, 'y'), (6, 6, 1, 'x');
with recursive r(n) as (values (1) union all select n + 1 from r where n < 5) select n from r;
with recursive fib(i, a, b) as (select 1, 0::numeric, 1::numeric union all select i + 1, b, a + b from fib where i < 30) select i, a from fib order by i;
with recursive reach(id, depth) as (select id, 0 from g where id = 1 union select g.k, reach.depth + 1 from reach join g on g.id = reach.id where g.k is not null and reach.depth < 10) select id, min(depth) from reach group by id order by 1;
with recursive r(n) as (select 1 union all select n + 1 from r) select n from r limit 4;
with recursive r(n) as (select 1 union all select n + 1 from r, r as r2) select * from r;
with recursive r(n) as (select 1::int union all select n::bigint + 1 from r where n < 3) select * from r;
select a, b, grouping(a, b), count(*), sum(id) from g group by rollup (a, b) order by 1, 2, 3;
select a, b, grouping(a), count(*) from g group by cube (a, b) order by 1, 2, 3, 4;
select a, b, count(*) from g group by grouping sets ((a), (b), ()) order by 1, 2, 3;
select a, count(*) from g group by a, rollup (b) having count(*) > 1 order by 1, 2;
select id, a from g order by a fetch first 2 rows with ties;
select id, a from g order by a desc nulls last offset 1 rows fetch first 1 row with ties;
drop table g;
