-- Window functions (issue 7): ranking, offsets, frame values, aggregates over ROWS/RANGE/GROUPS
-- frames with EXCLUDE, named windows, windows over grouped rows. Regression cases for
-- disagreements the differential generator found (empty named windows, RANGE offsets, ties).
create table w (id int primary key, p int, o int, v int);
insert into w values (1, 1, 1, 10), (2, 1, 1, 20), (3, 1, 2, null), (4, 1, null, 5), (5, 2, 3, 7),
  (6, 2, 3, 7), (7, 2, 5, -1), (8, null, 0, 3), (9, null, null, null), (10, 1, 4, 2);
select id, row_number() over (partition by p order by o, id), rank() over (partition by p order by o),
  dense_rank() over (partition by p order by o), percent_rank() over (partition by p order by o),
  cume_dist() over (partition by p order by o) from w order by id;
select id, ntile(3) over (order by id), lag(v) over (order by id), lag(v, 2, -1) over (order by id),
  lead(v, 1) over (partition by p order by id) from w order by id;
select id, first_value(v) over (partition by p order by id), last_value(v) over (partition by p order by id),
  last_value(v) over (partition by p order by id rows between unbounded preceding and unbounded following),
  nth_value(v, 2) over (partition by p order by id) from w order by id;
select id, sum(v) over (order by id rows between 1 preceding and 1 following),
  count(*) over (order by o range between 1 preceding and 1 following),
  sum(v) over (order by o desc nulls last range between 1 preceding and current row),
  sum(v) over (order by o groups between 1 preceding and current row exclude current row),
  max(v) over (order by o range between unbounded preceding and current row exclude ties) from w order by id;
select id, avg(v) over w1, min(v) over (w1 rows between current row and 2 following), count(*) over w2
  from w window w1 as (partition by p order by id), w2 as () order by id;
select p, sum(v), rank() over (order by sum(v) desc nulls last), sum(count(*)) over (order by p nulls first)
  from w group by p order by p;
select id, sum(v) filter (where v > 5) over (partition by p) from w order by id;
select sum(v) over (order by o, id range between 1 preceding and current row) from w;
select row_number() from w;
select id from w where rank() over (order by id) > 1;
select ntile(0) over (order by id) from w;
select nth_value(v, 0) over (order by id) from w;
drop table w;
