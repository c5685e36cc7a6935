"""psycopg2 against a server named by PGHOST/PGPORT/PGUSER/PGDATABASE: connect, query with
parameters, types, metadata, transactions and errors. Prints one JSON object for the test."""
import datetime
import decimal
import json
import os

import psycopg2
import psycopg2.extras

report = {}
connection = psycopg2.connect(
    host=os.environ["PGHOST"], port=os.environ["PGPORT"], user=os.environ["PGUSER"], dbname=os.environ["PGDATABASE"],
    sslmode="disable",
)
report["server_version"] = connection.server_version // 10000
report["encoding"] = connection.encoding
cursor = connection.cursor()
cursor.execute("drop table if exists py_items")
cursor.execute(
    "create table py_items (id int primary key, name text not null, price numeric(8,2), added date, flag boolean, ratio float8)"
)
cursor.execute(
    "insert into py_items values (%s, %s, %s, %s, %s, %s)",
    (1, "it's", decimal.Decimal("9.99"), datetime.date(2024, 2, 29), True, 0.5),
)
cursor.executemany(
    "insert into py_items (id, name, price) values (%(id)s, %(name)s, %(price)s)",
    [{"id": 2, "name": "two", "price": None}, {"id": 3, "name": "三", "price": decimal.Decimal("-1")}],
)
report["executemany_rowcount"] = cursor.rowcount
connection.commit()

cursor.execute("select id, name, price, added, flag, ratio from py_items where id = %s", (1,))
row = cursor.fetchone()
report["row"] = [row[0], row[1], str(row[2]), row[3].isoformat(), row[4], row[5]]
report["description"] = [[column.name, column.type_code] for column in cursor.description]
cursor.execute("select name from py_items where id = any(%s) order by id", ([2, 3],))
report["any"] = [name for (name,) in cursor.fetchall()]
cursor.execute("select count(*), sum(price) from py_items")
count, total = cursor.fetchone()
report["aggregate"] = [count, str(total)]

dict_cursor = connection.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
dict_cursor.execute("select id, name from py_items where price is null")
report["dict_rows"] = [dict(row) for row in dict_cursor.fetchall()]

cursor.execute("insert into py_items (id, name) values (4, 'rolled back')")
connection.rollback()
cursor.execute("select count(*) from py_items")
report["after_rollback"] = cursor.fetchone()[0]

try:
    cursor.execute("insert into py_items (id, name) values (1, 'duplicate')")
except psycopg2.Error as error:
    report["error"] = error.pgcode
    connection.rollback()
try:
    cursor.execute("select 1/0")
except psycopg2.Error as error:
    report["error2"] = error.pgcode
    connection.rollback()

connection.autocommit = True
cursor.execute("select %s::text, %s::int + 1, %s is null", ("x", 41, None))
report["literals"] = list(cursor.fetchone())
cursor.execute("drop table py_items")
connection.close()
print(json.dumps(report, ensure_ascii=False, sort_keys=True))
