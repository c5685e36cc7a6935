-- Booleans, dates and times, NULL logic, CASE, and casts between them.
select true, false, null::boolean, true and null, false and null, true or null, not null::boolean;
select 't'::boolean, 'yes'::boolean, 'off'::boolean, 1::boolean;
select 'maybe'::boolean;
select null = null, null is null, 1 is distinct from null, null is not distinct from null;
select case when 1 > 2 then 'a' when 2 > 1 then 'b' else 'c' end, case 3 when 1 then 'one' end;
select '2024-02-29'::date, '2024-02-29'::date + 1, '2024-03-01'::date - '2024-02-01'::date;
select '2023-02-29'::date;
select '2024-01-02 03:04:05'::timestamp, '2024-01-02 03:04:05.123456'::timestamp + interval '1 day 2 hours';
select '1 day'::interval * 3, interval '90 minutes', extract(year from '2024-05-06'::date);
select date_trunc('month', '2024-05-06 07:08:09'::timestamp), '12:34:56'::time;
select cast('2024-01-02' as date)::text, 42::text || '!', '3.5'::numeric::int;
create table flags (id int, on_off boolean, happened date);
insert into flags values (1, true, '2020-01-01'), (2, false, null), (3, null, '1999-12-31');
select * from flags where on_off order by id;
select * from flags where not on_off or on_off is null order by id;
select id, happened > '2000-01-01' from flags order by id;
drop table flags;
