package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned DDL in {@code db/migration} with Flyway. Baselines at version 0 on a
 * database that already has tables (the platform's), so V1's IF NOT EXISTS statements still run
 * and leave existing exam_results alone.
 */
public final class SchemaMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  private SchemaMigrator() {}

  public static MigrateResult migrate(DatabaseUrl db) {
    db.connect(); // fail with the one-line connection error before Flyway's verbose one
    var props = db.properties();
    Flyway flyway = Flyway.configure()
        .dataSource(db.jdbcUrl(), props.getProperty("user"), props.getProperty("password"))
        .locations("classpath:db/migration")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .table("seedtest_schema_history")
        .load();
    try {
      MigrateResult r = flyway.migrate();
      LOG.info("migrate: {} migrations applied, schema now at version {} ({})", r.migrationsExecuted,
          r.targetSchemaVersion == null ? flyway.info().current().getVersion() : r.targetSchemaVersion, db);
      return r;
    } catch (FlywayException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      throw Errors.migrationFailed(String.valueOf(db), m, e);
    }
  }
}
