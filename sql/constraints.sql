-- Constraints: NOT NULL, PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY; each violation's SQLSTATE.
create table parents (id int primary key, code text unique);
create table children (
  id int primary key,
  parent_id int references parents (id),
  quantity int check (quantity > 0),
  label text not null
);
insert into parents values (1, 'a'), (2, 'b');
insert into parents values (1, 'c');
insert into parents values (3, 'a');
insert into parents values (null, 'z');
insert into parents (id, code) values (4, null), (5, null);
insert into children values (10, 1, 5, 'ok');
insert into children values (11, 99, 5, 'orphan');
insert into children values (12, 1, 0, 'zero');
insert into children values (13, 1, 1, null);
insert into children values (14, null, 1, 'no parent is fine');
update children set quantity = -1 where id = 10;
update parents set id = 3 where id = 2;
update parents set id = 2 where id = 1;
delete from parents where id = 1;
select * from parents order by id;
select * from children order by id;
create table pairs (a int, b int, primary key (a, b), constraint a_positive check (a > 0));
insert into pairs values (1, 1), (1, 2);
insert into pairs values (1, 1);
insert into pairs values (0, 1);
select * from pairs order by a, b;
drop table children;
drop table parents;
drop table pairs;
