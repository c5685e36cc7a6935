-- Ordered-set aggregates (WITHIN GROUP), with FILTER, NULL inputs and grouping; DISTINCT ON must
-- match the leading ORDER BY items (issue 7 regression cases).
create table os (id int primary key, g int, x int, s text);
insert into os values (1, 1, 5, 'b'), (2, 1, null, 'a'), (3, 1, 1, null), (4, 2, 7, 'c'), (5, 2, 7, 'c'), (6, 2, 2, 'a'), (7, 3, null, null);
select g, percentile_cont(0.5) within group (order by x), percentile_disc(0.5) within group (order by x desc),
  mode() within group (order by s), percentile_cont(0.25) within group (order by x) filter (where id > 1) from os group by g order by g;
select percentile_disc(1) within group (order by s), percentile_cont(0) within group (order by x) from os;
select g, count(*), mode() within group (order by x) from os group by rollup (g) order by 1;
select distinct on (g) g, x from os order by g, x desc nulls last;
select distinct on (g) x from os order by x;
drop table os;
