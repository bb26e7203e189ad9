package io.seedtest.analytics.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Records every Spark job (start, end, call site) while installed, so a run's wall time can be
 * attributed: "count at AggregateFeaturesDailyJob.java:66 — 41.2 s". Jobs of one call site are
 * summed; jobs may overlap (AQE sub-jobs), so the sums are attributions, not a partition of time.
 */
final class SparkJobTimeline extends SparkListener {
  record Span(String callSite, long startMs, long endMs) {
    double seconds() {
      return (endMs - startMs) / 1000.0;
    }
  }

  private final Map<Integer, Span> open = new ConcurrentHashMap<>();
  private final List<Span> done = new ArrayList<>();
  private volatile boolean recording;

  void begin() {
    synchronized (done) {
      done.clear();
    }
    open.clear();
    recording = true;
  }

  List<Span> end() {
    recording = false;
    synchronized (done) {
      return List.copyOf(done);
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    if (!recording) {
      return;
    }
    // The result stage's name is the job's short call site, e.g. "count at AggregateFeaturesDailyJob.java:67".
    String site = scala.jdk.javaapi.CollectionConverters.asJava(e.stageInfos()).stream()
        .max(java.util.Comparator.comparingInt(org.apache.spark.scheduler.StageInfo::stageId))
        .map(org.apache.spark.scheduler.StageInfo::name).orElse(null);
    open.put(e.jobId(), new Span(site == null ? "job " + e.jobId() : site, e.time(), -1));
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    Span s = open.remove(e.jobId());
    if (s != null) {
      synchronized (done) {
        done.add(new Span(s.callSite(), s.startMs(), e.time()));
      }
    }
  }

  /** Seconds per call site, in order of first appearance. */
  static Map<String, Double> bySite(List<Span> spans) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Span s : spans) {
      m.merge(s.callSite(), s.seconds(), Double::sum);
    }
    return m;
  }

  /** Seconds of the jobs whose call site contains {@code part}. */
  static double seconds(List<Span> spans, String part) {
    return spans.stream().filter(s -> s.callSite().contains(part)).mapToDouble(Span::seconds).sum();
  }
}
