package io.seedtest.analytics.cli;

import io.seedtest.analytics.features.AggregateFeaturesDailyJob;
import io.seedtest.analytics.features.Granularity;
import io.seedtest.analytics.io.AttemptSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = AggregateFeaturesDailyJob.NAME, mixinStandardHelpOptions = true,
    description = {"Aggregate each day's answers per user x topic into features_topic_daily",
        "(attempts, correct, acc, rt_median, hints, theta_mean, theta_sd, improvement).",
        "Upserts PostgreSQL (when DATABASE_URL is set) and merges the lake. Re-running a day changes nothing."})
final class AggregateFeaturesDailyCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  QuarantineOptions quarantine;

  @Option(names = "--granularity", defaultValue = "day",
      description = "day (default) or hour.", converter = GranularityConverter.class)
  Granularity granularity;

  @Override
  public Integer call() {
    JobLauncher.launch(common.with(quarantine), "--granularity " + granularity.code(),
        settings -> new AggregateFeaturesDailyJob(AttemptSource.from(settings), granularity));
    return 0;
  }

  static final class GranularityConverter implements picocli.CommandLine.ITypeConverter<Granularity> {
    @Override
    public Granularity convert(String value) {
      try {
        return Granularity.valueOf(value.trim().toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("expected day or hour, got '" + value + "'");
      }
    }
  }
}
