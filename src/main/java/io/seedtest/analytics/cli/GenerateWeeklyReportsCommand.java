package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.report.GenerateWeeklyReportsJob;
import io.seedtest.analytics.report.ReportLocale;
import io.seedtest.analytics.report.ReportOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = GenerateWeeklyReportsJob.NAME, mixinStandardHelpOptions = true,
    description = {"Render the weekly report of every student with a weekly_kpi row on --date (the week's last day,",
        "default yesterday, UTC): ability trend, goal probability, the week's KPIs, topics, recommended top-N.",
        "One self-contained HTML page per student, stored as .../week_ending=D/user_id=U/<locale>.html in S3",
        "(SEEDTEST_REPORTS_URL=s3://bucket/prefix, SEEDTEST_S3_ENDPOINT, AWS_REGION, SEEDTEST_S3_PATH_STYLE,",
        "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) or, embedded, under <lake>/reports; listed in report_artifact,",
        "recommendations in report_recommendations. Unchanged reports are not stored again. Exits 5 when some",
        "reports could not be stored (the rest are; run again to finish). Details: docs/reports.md."})
final class GenerateWeeklyReportsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  CommonOptions common;

  @Option(names = "--locale", paramLabel = "ko|en", defaultValue = "ko",
      description = "Language of the reports (default: ko).")
  String locale;

  @Option(names = "--users", paramLabel = "ID[,ID...]", split = ",",
      description = "Only these students (default: every student with a weekly_kpi row that day).")
  List<String> users = new ArrayList<>();

  @Option(names = "--top", paramLabel = "N", defaultValue = "" + ReportOptions.DEFAULT_TOP_N,
      description = "Recommendations per student (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--reports-url", paramLabel = "URL",
      description = "Where reports go (overrides SEEDTEST_REPORTS_URL): s3://bucket/prefix or a folder.")
  String reportsUrl;

  @Override
  public Integer call() {
    CommonOptions.requirePositive("--top", top);
    ReportOptions options = new ReportOptions(ReportLocale.parse(locale), userIds(), top);
    GenerateWeeklyReportsJob[] job = new GenerateWeeklyReportsJob[1];
    JobLauncher.launchAndReport(common, describe(options), settings -> job[0] = new GenerateWeeklyReportsJob(
        AttemptSource.from(settings), ReportStorage.load(common.env(), settings, reportsUrl), options),
        command.commandLine().getOut());
    if (job[0].failed() > 0) {
      throw Errors.reportsNotStored(job[0].failed(), job[0].total(), job[0].firstError());
    }
    return 0;
  }

  private List<Long> userIds() {
    List<Long> ids = new ArrayList<>();
    for (String u : users) {
      try {
        ids.add(Long.parseLong(u.trim()));
      } catch (NumberFormatException e) {
        throw Errors.badSetting("--users", u, "student ids separated by commas, e.g. 17,42");
      }
    }
    return ids;
  }

  private static String describe(ReportOptions o) {
    return "--locale " + o.locale().tag() + (o.users().isEmpty() ? "" : " --users " + o.users().size() + " ids")
        + " --top " + o.topN();
  }
}
