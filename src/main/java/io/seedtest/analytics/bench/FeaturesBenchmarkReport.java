package io.seedtest.analytics.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What the features benchmark prints: the details of each size as it finishes, the summary table,
 * and the Markdown report file ({@code --report}).
 */
final class FeaturesBenchmarkReport {
  private final FeaturesBenchmark.Options options;
  private final int jdbcPartitions;
  private final PrintStream out;

  FeaturesBenchmarkReport(FeaturesBenchmark.Options options, int jdbcPartitions, PrintStream out) {
    this.options = options;
    this.jdbcPartitions = jdbcPartitions;
    this.out = out;
  }

  void printDetails(FeaturesBenchmark.Result r) {
    out.println();
    out.printf(Locale.ROOT, "== %s answers (schema %s%s): %,d students, %s..%s, %,d answers%s%n", FeaturesBenchmark.label(r.target()),
        r.schema(), options.keep() ? ", kept" : ", dropped", r.students(), r.from(), r.to(), r.answers(),
        Double.isNaN(r.generateSeconds()) ? " (reused)" : ", generated in " + fmt(r.generateSeconds()) + " s");
    out.printf(Locale.ROOT, "   load average before %s, after %s%n", r.loadBefore(), r.loadAfter());
    out.printf(Locale.ROOT, "   rows in (attempt view, read window): %,d; rows out (features_topic_daily): %,d%n",
        r.rowsIn(), r.rowsOut());
    if (!Double.isNaN(r.copyOutSeconds())) {
      out.printf(Locale.ROOT, "   COPY floor: out %s s (%,d MB of text; CPU %s) + in %s s = %s s%n",
          fmt(r.copyOutSeconds()), r.copyOutBytes() >> 20, cpu(r.copyOutCpu()), fmt(r.copyInSeconds()),
          fmt(r.copyFloor()));
    }
    if (!Double.isNaN(r.jdbcReadSeconds())) {
      out.printf(Locale.ROOT, "   JDBC read alone (%d partitions, all columns, no-op sink): %s s = %,.0f rows/s; CPU %s%n",
          jdbcPartitions, fmt(r.jdbcReadSeconds()), r.rowsIn() / r.jdbcReadSeconds(), cpu(r.jdbcReadCpu()));
    }
    if (!r.profile().isEmpty()) {
      out.println("   profile, stage by stage (wall s / CPU s JVM+PostgreSQL):");
      r.profile().forEach((stage, time) -> out.printf(Locale.ROOT, "      %-40s %6s s   CPU %s%n", stage,
          fmt(time.wall()), cpu(time.cpu())));
    }
    printRun("Spark run 1 (empty table)", r.run());
    printRun("Spark run 2 (rerun, no changes)", r.rerun());
    printBaseline("baseline (a) INSERT … SELECT … ON CONFLICT", r.baseline());
    printBaseline("baseline (a') same + duplicate-answer rule", r.fullBaseline());
  }

  private void printRun(String name, FeaturesBenchmark.SparkRun s) {
    if (s == null) {
      return;
    }
    out.printf(Locale.ROOT, "   %s: %s s = read+validate+aggregate %s + PG staging %s + merge %s + lake %s;"
            + " without lake %s s; upsert path %,.0f rows/s%n", name, fmt(s.total()), fmt(s.compute()), fmt(s.staging()),
        fmt(s.merge()), fmt(s.lake()), fmt(s.withoutLake()), s.upsertRate());
    out.printf(Locale.ROOT, "      CPU: %s%n", cpu(s.cpu()));
    MemorySampler.Peak p = s.peak();
    out.printf(Locale.ROOT, "      peak memory: heap used %,.0f MB (live after GC %,.0f MB, committed %,.0f MB),"
        + " RSS %,.0f MB, VmHWM %,.0f MB%s%n", p.heapUsedMb(), p.heapAfterGcMb(), p.heapCommittedMb(), p.rssMb(),
        p.vmHwmMb(), p.hwmReset() ? "" : " (VmHWM not reset: peak of the whole process)");
    Map<String, Double> sites = SparkJobTimeline.bySite(s.spans());
    out.println("      Spark jobs by call site: " + sites.entrySet().stream()
        .filter(e -> e.getValue() >= 0.05)
        .map(e -> e.getKey() + " " + fmt(e.getValue()) + " s").collect(Collectors.joining("; ")));
  }

  private void printBaseline(String name, FeaturesBenchmark.Baseline b) {
    if (b == null) {
      return;
    }
    String check = b.diff() == null ? "not compared (no Spark result)"
        : b.diff().same() ? "same rows as the Spark job (checksum " + b.diff().sparkChecksum() + ")"
        : "DIFFERS: " + b.diff().onlySpark() + " rows only in Spark, " + b.diff().onlyBaseline()
            + " only in the baseline, " + b.diff().differing() + " with other values; checksums spark "
            + b.diff().sparkChecksum() + " vs baseline " + b.diff().baselineChecksum();
    out.printf(Locale.ROOT, "   %s: %s s (CPU %s), %,d rows; %s%n", name, fmt(b.seconds()), cpu(b.cpu()), b.rows(),
        check);
  }

  String header(SparkSession spark) {
    return String.format(Locale.ROOT, "features_topic_daily benchmark, %s UTC, %d cores (%s), JDBC partitions %d,"
            + " shuffle partitions %s, driver -Xmx %,d MB, baseline work_mem %s",
        Instant.now().toString().substring(0, 16).replace('T', ' '), Runtime.getRuntime().availableProcessors(),
        cpuModel(), jdbcPartitions, spark.conf().get("spark.sql.shuffle.partitions"),
        Runtime.getRuntime().maxMemory() >> 20, options.baselineWorkMem() == null ? "server default"
            : options.baselineWorkMem());
  }

  static String table(List<FeaturesBenchmark.Result> results) {
    StringBuilder b = new StringBuilder();
    b.append("| size | rows in | rows out | Spark s | Spark s w/o lake | rerun s | baseline (a) s | ratio"
        + " | ratio w/o lake | COPY floor s | upsert rows/s | peak heap MB | VmHWM MB | Spark CPU s | baseline CPU s |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (FeaturesBenchmark.Result r : results) {
      FeaturesBenchmark.SparkRun s = r.run();
      double base = r.baseline() == null ? Double.NaN : r.baseline().seconds();
      b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
          FeaturesBenchmark.label(r.target()), r.rowsIn(), r.rowsOut(),
          s == null ? "-" : fmt(s.total()), s == null ? "-" : fmt(s.withoutLake()),
          r.rerun() == null ? "-" : fmt(r.rerun().total()), fmt(base),
          s == null ? "-" : String.format(Locale.ROOT, "%.2f×", s.total() / base),
          s == null ? "-" : String.format(Locale.ROOT, "%.2f×", s.withoutLake() / base),
          fmt(r.copyFloor()), s == null ? "-" : String.format(Locale.ROOT, "%,.0f", s.upsertRate()),
          s == null ? "-" : String.format(Locale.ROOT, "%,.0f", s.peak().heapUsedMb()),
          s == null ? "-" : String.format(Locale.ROOT, "%,.0f", s.peak().vmHwmMb()),
          s == null ? "-" : fmt(s.cpu().total()), r.baseline() == null ? "-" : fmt(r.baseline().cpu().total())));
    }
    return b.toString();
  }

  void write(SparkSession spark, List<FeaturesBenchmark.Result> results) {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    PrintStream p = new PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
    p.println("Command: `" + options.commandLine() + "`");
    p.println();
    p.println(header(spark));
    p.println();
    p.println(table(results));
    p.println("```");
    FeaturesBenchmarkReport detail = new FeaturesBenchmarkReport(options, jdbcPartitions, p);
    results.forEach(detail::printDetails);
    p.println("```");
    try {
      Files.writeString(options.report(), buf.toString(java.nio.charset.StandardCharsets.UTF_8));
      out.println("report written to " + options.report());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String cpu(CpuMeter.Cpu c) {
    return c == null ? "-" : String.format(Locale.ROOT, "%s s = JVM %s + PostgreSQL %s", fmt(c.total()), fmt(c.jvm()),
        fmt(c.pg()));
  }

  static String fmt(double seconds) {
    return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f", seconds);
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("cpu n/a");
    } catch (IOException | RuntimeException e) {
      return "cpu n/a";
    }
  }
}
