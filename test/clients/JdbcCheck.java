// pgjdbc (Debian libpostgresql-jdbc-java) against the server named by PGHOST/PGPORT/PGUSER/PGDATABASE:
// connect, parameters, server-side prepared statements reused past prepareThreshold, metadata,
// transactions, errors, batches. Prints one line "key=value" per check for the test.
import java.math.BigDecimal;
import java.sql.*;
import java.util.ArrayList;
import java.util.List;

public class JdbcCheck {
  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
        + System.getenv("PGDATABASE") + "?sslmode=disable&prepareThreshold=3";
    try (Connection connection = DriverManager.getConnection(url, System.getenv("PGUSER"), "")) {
      DatabaseMetaData meta = connection.getMetaData();
      print("product", meta.getDatabaseProductName());
      print("major", meta.getDatabaseMajorVersion());
      try (Statement statement = connection.createStatement()) {
        statement.execute("drop table if exists jdbc_items");
        statement.execute("create table jdbc_items (id int primary key, name text not null, price numeric(8,2), added date)");
      }
      try (PreparedStatement insert = connection.prepareStatement("insert into jdbc_items values (?, ?, ?, ?)")) {
        for (int id = 1; id <= 10; id++) {
          insert.setInt(1, id);
          insert.setString(2, "item " + id);
          if (id % 4 == 0) insert.setNull(3, Types.NUMERIC); else insert.setBigDecimal(3, new BigDecimal(id + ".25"));
          insert.setDate(4, Date.valueOf("2024-01-" + (10 + id)));
          insert.addBatch();
        }
        int total = 0;
        for (int count : insert.executeBatch()) total += count;
        print("batch", total);
      }
      // Reused more often than prepareThreshold: pgjdbc switches to a named server-side statement.
      try (PreparedStatement select = connection.prepareStatement("select name, price, added from jdbc_items where id = ?")) {
        List<String> names = new ArrayList<>();
        for (int id = 1; id <= 8; id++) {
          select.setInt(1, id);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) names.add(rows.getString(1) + "/" + rows.getBigDecimal(2) + "/" + rows.getDate(3));
          }
        }
        print("reused", String.join(",", names));
        ResultSetMetaData columns = select.getMetaData();
        List<String> described = new ArrayList<>();
        for (int index = 1; index <= columns.getColumnCount(); index++) {
          described.add(columns.getColumnName(index) + ":" + columns.getColumnTypeName(index));
        }
        print("columns", String.join(",", described));
      }
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate("delete from jdbc_items where id > 5");
        connection.rollback();
        try (ResultSet rows = statement.executeQuery("select count(*), sum(price) from jdbc_items")) {
          rows.next();
          print("after_rollback", rows.getLong(1) + "/" + rows.getBigDecimal(2));
        }
        try {
          statement.executeUpdate("insert into jdbc_items values (1, 'duplicate', null, null)");
        } catch (SQLException error) {
          print("error", error.getSQLState());
          connection.rollback();
        }
      }
      connection.setAutoCommit(true);
      try (ResultSet tables = meta.getTables(null, "public", "jdbc_%", new String[] {"TABLE"})) {
        List<String> names = new ArrayList<>();
        while (tables.next()) names.add(tables.getString("TABLE_NAME"));
        print("tables", String.join(",", names));
      }
      try (ResultSet columns = meta.getColumns(null, "public", "jdbc_items", null)) {
        List<String> names = new ArrayList<>();
        while (columns.next()) names.add(columns.getString("COLUMN_NAME") + ":" + columns.getString("TYPE_NAME") + ":" + columns.getString("IS_NULLABLE"));
        print("metadata_columns", String.join(",", names));
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("drop table jdbc_items");
      }
    }
  }

  private static void print(String key, Object value) {
    System.out.println(key + "=" + value);
  }
}
