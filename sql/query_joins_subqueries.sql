-- Joins and subqueries (issue 7): FULL JOIN USING / NATURAL merge columns with COALESCE, implicitly
-- lateral function scans, set-returning functions in the select list, row-valued IN.
create table l (id int primary key, a int, s text);
create table r (id int primary key, a int, x int);
insert into l values (1, 1, 'one'), (2, 2, 'two'), (3, null, 'three'), (4, 4, null);
insert into r values (2, 2, 20), (3, 3, 30), (5, null, 50), (6, 4, 60);
select * from l full join r using (id) order by 1;
select id, a, l.s, r.x from l natural full join r order by 1, 2;
select id, l.id, r.id from l right join r using (id) order by 1;
select l.id, gs from l, generate_series(1, l.a) as gs order by 1, 2;
select l.id, generate_series(1, 2) as g from l order by 1, 2;
select l.id from l where (l.id, l.a) in (select r.id, r.a from r) order by 1;
select l.id from l where (l.id, l.a) not in (select r.id, r.a from r) order by 1;
select * from l full join r on l.a < r.a;
select * from unnest(array[1, 2, 3], array['x', 'y']) as u(n, s) order by 1;
select l.id, u.* from l, unnest(array[l.id, l.a], array['p']) as u(v, w) order by 1, 2, 3;
drop table l;
drop table r;
