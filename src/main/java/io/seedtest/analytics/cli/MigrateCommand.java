package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.io.SchemaMigrator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Create or upgrade the PostgreSQL schema (exam_results, attempt view, result tables) with Flyway.")
final class MigrateCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    var db = common.settings().database().orElseThrow(Errors::migrateNeedsDatabase);
    SchemaMigrator.migrate(db);
    return 0;
  }
}
