package io.seedtest.analytics.io;

import io.seedtest.analytics.config.Settings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one of our own result tables (e.g. the ability history) back as an input: from PostgreSQL
 * when DATABASE_URL is set, else from the lake. Empty when the table does not exist yet — later
 * stages fill it, and jobs before them must run without it.
 */
public final class ServingTables {
  private ServingTables() {}

  public static Optional<Dataset<Row>> readIfExists(SparkSession spark, Settings settings, String table) {
    if (settings.database().isPresent()) {
      var db = settings.database().get();
      try (Connection c = db.connect();
           PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            return Optional.empty();
          }
        }
      } catch (SQLException e) {
        throw io.seedtest.analytics.Errors.databaseFailure("Checking for " + table, e);
      }
      return Optional.of(JdbcReads.read(spark, db, table));
    }
    Lake lake = new Lake(settings.lake());
    return lake.exists(spark, table) ? Optional.of(lake.read(spark, table)) : Optional.empty();
  }
}
