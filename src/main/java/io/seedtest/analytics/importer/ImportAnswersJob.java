package io.seedtest.analytics.importer;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.Quarantine;
import io.seedtest.analytics.io.UpsertSpec;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code seedtest import}: an exam's answer file into the platform's input tables, so every job
 * (calibrate-irt first) can run on it. With a database: {@code exam_results} (one row per session,
 * its answers as the V1 JSON) and {@code item_bank}; embedded: the lake's {@code attempts} and
 * {@code item_bank}; in both {@code import_ids} (the file's names → the BIGINT ids). All through
 * the run's upsert (keyed by session, item, name), so a rerun of the same file changes nothing.
 *
 * <p>Sessions: the file's session column when it has one; otherwise one session per student and
 * day (the answers' day in --timezone, or --exam-date), named {@code <user>|<day>}. Answers
 * without a timestamp get --exam-date at 12:00 (in --timezone, else UTC) plus one second per answer
 * in the file's order, so they keep that order. No response time or hints in the file: 0 (the
 * features' response-time figures then mean nothing for this data).
 *
 * <p>Nothing is written when any cell cannot be read: the run fails naming the first bad row and
 * field (and how many more); a dry run lists them all by field instead.
 */
public final class ImportAnswersJob implements Job {
  public static final String NAME = "import";
  private static final Logger LOG = LoggerFactory.getLogger(ImportAnswersJob.class);

  public static final UpsertSpec EXAM_RESULTS = new UpsertSpec("exam_results", List.of("session_id"),
      List.of("user_id", "started_at", "finished_at", "responses"), List.of(), null, null);
  public static final UpsertSpec ITEM_BANK = new UpsertSpec(Lake.ITEM_BANK, List.of("item_id"), List.of("topic"),
      List.of(), null, null);
  public static final UpsertSpec IMPORT_IDS = new UpsertSpec("import_ids", List.of("kind", "external_id"),
      List.of("id"), List.of(), null, null);
  public static final UpsertSpec ATTEMPTS = new UpsertSpec(Lake.ATTEMPTS, List.of("session_id", "seq"),
      List.of("result_id", "user_id", "item_id", "topic", "correct", "response_time_ms", "hints_used", "answered_at",
          "finished_at", "day"), List.of(), "day", null);

  static final StructType EXAM_RESULTS_SCHEMA = new StructType()
      .add("session_id", DataTypes.LongType, false).add("user_id", DataTypes.LongType, false)
      .add("started_at", DataTypes.TimestampType, false).add("finished_at", DataTypes.TimestampType, false)
      .add("responses", DataTypes.StringType, false);
  static final StructType ITEM_BANK_SCHEMA = new StructType()
      .add("item_id", DataTypes.LongType, false).add("topic", DataTypes.StringType, false);
  static final StructType IMPORT_IDS_SCHEMA = new StructType()
      .add("kind", DataTypes.StringType, false).add("external_id", DataTypes.StringType, false)
      .add("id", DataTypes.LongType, false);

  private final ImportOptions options;
  private String report = "";

  public ImportAnswersJob(ImportOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String report() {
    return report;
  }

  @Override
  public JobResult run(RunContext ctx) {
    SparkSession spark = ctx.spark();
    AnswerScoring scoring = new AnswerScoring(
        options.keyFile() == null ? null : AnswerFile.key(spark, options.keyFile()), options.missingCode());
    AnswerFile.Contents file = AnswerFile.load(spark, options, scoring);
    if (!file.problems().isEmpty() && !ctx.dryRun()) {
      AnswerFile.Problem p = file.problems().get(0);
      int more = file.problems().size() - 1;
      throw Errors.badImportFile(options.file(), p.row(), p.field(), p.value(), p.why(),
          (more > 0 ? more + " more cell(s) cannot be read either (" + byField(file.problems()) + "). " : "")
              + "Nothing was written. Fix the file (or run with --dry-run to list every problem) and run again.");
    }
    List<Session> sessions = sessions(file.answers());
    boolean database = ctx.settings().database().isPresent();
    List<Output> outputs = new ArrayList<>();
    outputs.add(new Output(database ? EXAM_RESULTS : ATTEMPTS,
        database ? spark.createDataFrame(examResults(sessions), EXAM_RESULTS_SCHEMA)
            : Lake.withDay(spark.createDataFrame(attempts(sessions), Attempts.SCHEMA)), null));
    outputs.add(new Output(ITEM_BANK, spark.createDataFrame(itemBank(file.answers()), ITEM_BANK_SCHEMA), null));
    outputs.add(new Output(IMPORT_IDS, spark.createDataFrame(ids(file.answers(), sessions), IMPORT_IDS_SCHEMA), null));
    long students = file.answers().stream().map(Answer::user).distinct().count();
    long items = file.answers().stream().map(Answer::item).distinct().count();
    report = report(file, sessions.size(), students, items, database);
    String summary = String.format(Locale.ROOT, "%s (%s format): %d rows, %d answers of %d students on %d items "
            + "in %d sessions to %s; %d cells not answered%s", options.file(), file.shape().name().toLowerCase(Locale.ROOT),
        file.rows(), file.answers().size(), students, items, sessions.size(), database ? "exam_results" : "the lake's attempts",
        file.notAnswered(), file.problems().isEmpty() ? "" : "; " + file.problems().size() + " cells cannot be read");
    LOG.info("{}: {}", NAME, summary);
    return new JobResult(outputs, spark.createDataFrame(List.of(), Quarantine.SCHEMA), file.rows(), summary, List.of());
  }

  /** One session's answers in order, with its ids. */
  record Session(long sessionId, long userId, String user, String name, List<Answer> answers, List<Instant> times) {}

  private List<Session> sessions(List<Answer> answers) {
    ZoneId zone = options.zone() != null ? options.zone() : ZoneOffset.UTC;
    Map<String, Integer> perStudent = new LinkedHashMap<>();
    Map<String, List<Object[]>> bySession = new TreeMap<>();
    for (Answer a : answers) {
      int k = perStudent.merge(a.user(), 1, Integer::sum);
      Instant at = a.answeredAt() != null ? a.answeredAt()
          : options.examDate().atTime(LocalTime.NOON).atZone(zone).toInstant().plusSeconds(k - 1L);
      LocalDate day = at.atZone(zone).toLocalDate();
      String name = a.session() != null ? a.session() : a.user() + "|" + day;
      bySession.computeIfAbsent(a.user() + "\u0000" + name, s -> new ArrayList<>()).add(new Object[] {a, at});
    }
    List<Session> out = new ArrayList<>();
    for (List<Object[]> group : bySession.values()) {
      group.sort(Comparator.comparing((Object[] x) -> (Instant) x[1]).thenComparingLong(x -> ((Answer) x[0]).row()));
      Answer first = (Answer) group.get(0)[0];
      String name = first.session() != null ? first.session() : first.user() + "|"
          + ((Instant) group.get(0)[1]).atZone(zone).toLocalDate();
      long id = first.session() != null && StableIds.isNumeric(first.session())
          ? StableIds.of("session", first.session()) : StableIds.of("session", first.user() + "|" + name);
      out.add(new Session(id, StableIds.of("user", first.user()), first.user(), name,
          group.stream().map(x -> (Answer) x[0]).toList(), group.stream().map(x -> (Instant) x[1]).toList()));
    }
    return out;
  }

  private static List<Row> examResults(List<Session> sessions) {
    List<Row> rows = new ArrayList<>();
    for (Session s : sessions) {
      StringBuilder json = new StringBuilder("[");
      for (int k = 0; k < s.answers().size(); k++) {
        Answer a = s.answers().get(k);
        json.append(k == 0 ? "" : ", ").append("{\"item_id\": ").append(StableIds.of("item", a.item()))
            .append(", \"topic\": ").append(quote(a.topic())).append(", \"correct\": ").append(a.correct())
            .append(", \"response_time_ms\": ").append(a.responseTimeMs()).append(", \"hints_used\": ")
            .append(a.hints()).append(", \"answered_at\": \"").append(s.times().get(k)).append("\"}");
      }
      rows.add(RowFactory.create(s.sessionId(), s.userId(), Timestamp.from(s.times().get(0)),
          Timestamp.from(s.times().get(s.times().size() - 1)), json.append(']').toString()));
    }
    return rows;
  }

  private static List<Row> attempts(List<Session> sessions) {
    List<Row> rows = new ArrayList<>();
    for (Session s : sessions) {
      Timestamp finished = Timestamp.from(s.times().get(s.times().size() - 1));
      for (int k = 0; k < s.answers().size(); k++) {
        Answer a = s.answers().get(k);
        rows.add(RowFactory.create(s.sessionId(), s.sessionId(), s.userId(), k + 1, StableIds.of("item", a.item()),
            a.topic(), a.correct(), a.responseTimeMs(), a.hints(), Timestamp.from(s.times().get(k)), finished));
      }
    }
    return rows;
  }

  private static List<Row> itemBank(List<Answer> answers) {
    Map<String, String> topics = new LinkedHashMap<>();
    answers.forEach(a -> topics.putIfAbsent(a.item(), a.topic()));
    return topics.entrySet().stream().map(e -> RowFactory.create(StableIds.of("item", e.getKey()), e.getValue()))
        .toList();
  }

  private static List<Row> ids(List<Answer> answers, List<Session> sessions) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (Answer a : answers) {
      rows.putIfAbsent("user\u0000" + a.user(), RowFactory.create("user", a.user(), StableIds.of("user", a.user())));
      rows.putIfAbsent("item\u0000" + a.item(), RowFactory.create("item", a.item(), StableIds.of("item", a.item())));
    }
    for (Session s : sessions) {
      String name = s.user() + "|" + s.name();
      rows.putIfAbsent("session\u0000" + name, RowFactory.create("session", name, s.sessionId()));
    }
    return new ArrayList<>(rows.values());
  }

  private String report(AnswerFile.Contents file, int sessions, long students, long items, boolean database) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "import %s (%s format, columns %s)%n", options.file(),
        file.shape().name().toLowerCase(Locale.ROOT), String.join(", ", file.columns())));
    b.append(String.format(Locale.ROOT, "  would load: %d answers of %d students on %d items in %d sessions into %s%n",
        file.answers().size(), students, items, sessions, database ? "exam_results, item_bank, import_ids"
            : "the lake's attempts, item_bank, import_ids"));
    b.append(String.format(Locale.ROOT, "  not answered (empty%s): %d cells, left out%n",
        options.missingCode() == null ? "" : " or '" + options.missingCode() + "'", file.notAnswered()));
    if (file.problems().isEmpty()) {
      b.append("  cannot be read: none\n");
    } else {
      b.append("  cannot be read (the run would stop and write nothing), by field:\n");
      Map<String, List<AnswerFile.Problem>> byField = file.problems().stream()
          .collect(Collectors.groupingBy(AnswerFile.Problem::field, TreeMap::new, Collectors.toList()));
      byField.forEach((field, ps) -> {
        AnswerFile.Problem p = ps.get(0);
        b.append(String.format(Locale.ROOT, "    %s: %d (first: row %d '%s': %s)%n", field, ps.size(), p.row(),
            p.value(), p.why()));
      });
    }
    return b.toString();
  }

  private static String byField(List<AnswerFile.Problem> problems) {
    return problems.stream().collect(Collectors.groupingBy(AnswerFile.Problem::field, TreeMap::new,
        Collectors.counting())).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s, b);
    return b.append('"').toString();
  }
}
