package io.seedtest.analytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Each command offers the options that do something for it, and reads the environment it is given. */
class CommandOptionsCliTest {
  private static Set<String> options(String command) {
    Set<String> names = new TreeSet<>();
    SeedtestCli.commandLine(Map.of()).getSubcommands().get(command).getCommandSpec().options()
        .forEach(o -> names.addAll(Arrays.asList(o.names())));
    names.removeAll(List.of("-h", "--help", "-V", "--version"));
    return names;
  }

  @Test
  void generateAndMigrateOfferNoRunWindowOrGateOptions() {
    assertThat(options("generate")).contains("--database-url", "--lake", "--migrate", "--replace")
        .doesNotContain("--lake-writes", "--strict", "--dry-run", "--date", "--from", "--to", "--max-quarantine-share",
            "--churn-min-auc-gain");
    assertThat(options("migrate")).containsExactly("--database-url");
    assertThat(options("serve")).doesNotContain("--lake", "--strict", "--date");
  }

  @Test
  void theGatesAppearWhereAJobChecksThem() {
    assertThat(options("compute-daily-kpis")).contains("--date", "--from", "--to", "--dry-run", "--strict",
        "--max-quarantine-share", "--churn-min-auc-gain", "--lake-writes");
    assertThat(options("aggregate-features-daily")).contains("--max-quarantine-share").doesNotContain("--churn-min-auc-gain");
    assertThat(options("detect-inactivity")).doesNotContain("--max-quarantine-share", "--churn-min-auc-gain");
    assertThat(options("generate-weekly-reports")).doesNotContain("--max-quarantine-share", "--churn-min-auc-gain");
    assertThat(options("update-abilities")).contains("--dry-run", "--strict", "--drift-per-day",
        "--max-quarantine-share", "--database-url", "--lake", "--lake-writes", "--migrate").doesNotContain("--date", "--from");
  }

  @Test
  void theEnvironmentIsTheMapTheCliIsGiven() {
    StringWriter err = new StringWriter();
    int exit = SeedtestCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        Map.of("SEEDTEST_IRT_DRIFT_PER_DAY", "lots"), "update-abilities", "--dry-run");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("seedtest: Setting SEEDTEST_IRT_DRIFT_PER_DAY='lots' is invalid");
  }

  @Test
  void theLaunchersDatabaseUrlArrivesThroughTheMap() {
    CommandLine cli = SeedtestCli.commandLine(Map.of(SeedtestCli.DATABASE_URL_FLAG, "postgresql://h/db"));
    CommandLine.ParseResult parsed = cli.parseArgs("migrate");

    assertThat(parsed.subcommand().matchedOptionValue("--database-url", (String) null)).isNull();
    assertThat(((MigrateCommand) parsed.subcommand().commandSpec().userObject()).database.databaseUrl)
        .isEqualTo("postgresql://h/db");
  }
}
