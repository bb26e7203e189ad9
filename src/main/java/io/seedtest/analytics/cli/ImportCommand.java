package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.importer.ImportAnswersJob;
import io.seedtest.analytics.importer.ImportOptions;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = ImportAnswersJob.NAME, mixinStandardHelpOptions = true,
    description = {"Load an exam's answers from a CSV or Parquet file: long format (one row per",
        "answer: user, item, correct [, session, topic, answered_at, response_time_ms, hints_used])",
        "or wide (one row per student, one column per item). Scored 1/0, true/false, T/F, or raw",
        "options with --key. Writes exam_results (with a database) or the lake's attempts, plus",
        "item_bank and import_ids; a rerun changes nothing. See docs/data-contract.md."})
final class ImportCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The answers: .csv (with a header row) or .parquet.")
  String file;

  @Option(names = "--wide", description = "One row per student, one column per item (default: told by the columns).")
  boolean wide;

  @Option(names = "--long", description = "One row per answer (default: told by the columns).")
  boolean isLong;

  @Option(names = "--key", paramLabel = "FILE",
      description = "Answer key, CSV item,key: the answers are raw options scored against it (as mirt's key2binary).")
  String key;

  @Option(names = "--missing", paramLabel = "CODE",
      description = "The code of an unanswered item besides an empty cell (e.g. 9 or NA): left out, not wrong.")
  String missing;

  @Option(names = "--timezone", paramLabel = "ZONE",
      description = "Zone of timestamps written without one (e.g. Europe/Berlin); required if there are any.")
  String timezone;

  @Option(names = "--exam-date", paramLabel = "YYYY-MM-DD",
      description = "The day of the answers when the file has no timestamps.")
  String examDate;

  @Option(names = "--topic", defaultValue = "imported", paramLabel = "NAME",
      description = "Topic of items the file gives none for (default ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--user-column", paramLabel = "NAME",
      description = "Wide format: the column naming the student (default: user_id/student/... or the first).")
  String userColumn;

  @Override
  public Integer call() {
    ImportOptions options = new ImportOptions(file, wide ? ImportOptions.Shape.WIDE : isLong ? ImportOptions.Shape.LONG
        : null, key, missing, zone(), date(), topic, userColumn);
    String extra = file + (wide ? " --wide" : "") + (isLong ? " --long" : "") + (key == null ? "" : " --key " + key)
        + (missing == null ? "" : " --missing " + missing) + (timezone == null ? "" : " --timezone " + timezone)
        + (examDate == null ? "" : " --exam-date " + examDate) + " --topic " + topic;
    JobLauncher.launchAndReport(common, extra, settings -> new ImportAnswersJob(options),
        spec.commandLine().getOut());
    return 0;
  }

  private ZoneId zone() {
    try {
      return timezone == null ? null : ZoneId.of(timezone);
    } catch (DateTimeException e) {
      throw Errors.badSetting("--timezone", timezone, "a time zone id such as Europe/Berlin or UTC");
    }
  }

  private LocalDate date() {
    try {
      return examDate == null ? null : LocalDate.parse(examDate);
    } catch (DateTimeParseException e) {
      throw Errors.badDate("--exam-date", examDate);
    }
  }
}
