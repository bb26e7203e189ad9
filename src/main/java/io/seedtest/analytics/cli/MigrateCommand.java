package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.io.SchemaMigrator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Create or upgrade the PostgreSQL schema (exam_results, attempt view, result tables) with Flyway.")
final class MigrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec command;

  @Mixin
  DatabaseOptions database;

  @Override
  public Integer call() {
    var db = database.settings(SeedtestCli.environment(command)).database().orElseThrow(Errors::migrateNeedsDatabase);
    SchemaMigrator.migrate(db);
    return 0;
  }
}
