package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import java.util.Map;
import picocli.CommandLine.Option;

/** --database-url, for every command that reads or writes PostgreSQL (a mixin). */
final class DatabaseOptions {
  @Option(names = "--database-url", paramLabel = "URL",
      description = "PostgreSQL to read and write (overrides DATABASE_URL); postgresql://user:pass@host:5432/db "
          + "or jdbc:postgresql://… Unset: embedded mode, the local lake only.")
  String databaseUrl;

  /** The settings of {@code env} with this flag over DATABASE_URL. */
  Settings settings(Map<String, String> env) {
    return Settings.load(env, databaseUrl, null);
  }
}
