package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.SchemaMigrator;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a job reads and writes: the database, the lake, and whether to migrate first (a mixin). */
final class StoreOptions {
  @Mixin
  DatabaseOptions database;

  @Option(names = "--lake", paramLabel = "PATH",
      description = "Root folder of the Delta lake (overrides SEEDTEST_LAKE; default ./lake).")
  String lake;

  @Option(names = "--migrate", description = "Apply pending schema migrations before running.")
  boolean migrate;

  /** The settings of {@code env} with these flags over their variables (see {@link Settings}). */
  Settings settings(Map<String, String> env) {
    return Settings.load(env, database.databaseUrl, lake, null);
  }

  /** The same, with the --[no-]lake-writes of a job that publishes through the runner. */
  Settings settings(Map<String, String> env, LakeWritesOption writes) {
    return Settings.load(env, database.databaseUrl, lake, writes.lakeWrites);
  }

  /** Applies pending migrations when --migrate was given and there is a database. */
  void migrateIfAsked(Settings settings) {
    if (migrate) {
      settings.database().ifPresent(SchemaMigrator::migrate);
    }
  }
}
