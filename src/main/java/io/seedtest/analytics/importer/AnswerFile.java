package io.seedtest.analytics.importer;

import io.seedtest.analytics.Errors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads an answer file with Spark (CSV with a header row, or Parquet) and turns it into
 * {@link Answer}s, collecting every cell that cannot be read as a {@link Problem} (row, field,
 * value, why) instead of stopping at the first, so a dry run can say what is wrong by field.
 *
 * <p>Long format columns (any case; the first name found counts): user ({@code user_id, user,
 * student_id, student, examinee}), item ({@code item_id, item, question}), the answer ({@code
 * correct, score, scored, answer, response}), and optionally {@code session_id/session},
 * {@code topic}, {@code answered_at/timestamp/time}, {@code response_time_ms/response_time/rt},
 * {@code hints_used/hints}. Wide format: the user column, then one column per item.
 *
 * <p>The rows are brought to the driver: an exam export (thousands to a few million answers) fits,
 * and the checks need the file's order (row numbers) and the per-student answer order.
 */
final class AnswerFile {
  static final List<String> USER = List.of("user_id", "user", "student_id", "student", "examinee", "person");
  static final List<String> ITEM = List.of("item_id", "item", "question", "question_id");
  static final List<String> ANSWER = List.of("correct", "score", "scored", "answer", "response");
  static final List<String> SESSION = List.of("session_id", "session");
  static final List<String> TOPIC = List.of("topic");
  static final List<String> TIME = List.of("answered_at", "timestamp", "time");
  static final List<String> RESPONSE_TIME = List.of("response_time_ms", "response_time", "rt");
  static final List<String> HINTS = List.of("hints_used", "hints");

  /** A cell that cannot be loaded. */
  record Problem(long row, String field, String value, String why) {}

  /** What the file holds. */
  record Contents(ImportOptions.Shape shape, long rows, List<Answer> answers, long notAnswered,
      List<Problem> problems, List<String> columns) {}

  private AnswerFile() {}

  static Dataset<Row> read(SparkSession spark, String file) {
    boolean parquet = file.toLowerCase(Locale.ROOT).endsWith(".parquet")
        || new java.io.File(file).isDirectory();
    if (!new java.io.File(file).exists()) {
      throw Errors.badImportShape(file, "no such file", "Check the path.");
    }
    Dataset<Row> d = parquet ? spark.read().parquet(file)
        : spark.read().option("header", "true").option("inferSchema", "false")
            .option("mode", "FAILFAST").csv(file);
    return d.select(Arrays.stream(d.columns())
        .map(c -> org.apache.spark.sql.functions.col("`" + c + "`").cast("string").as(c))
        .toArray(org.apache.spark.sql.Column[]::new));
  }

  static Contents load(SparkSession spark, ImportOptions o, AnswerScoring scoring) {
    Dataset<Row> d = read(spark, o.file());
    List<String> columns = Arrays.asList(d.columns());
    if (columns.isEmpty()) {
      throw Errors.badImportShape(o.file(), "it has no columns", "Give a CSV with a header row or a Parquet file.");
    }
    List<Row> rows = d.collectAsList();
    ImportOptions.Shape shape = o.shape() != null ? o.shape()
        : find(columns, USER) >= 0 && find(columns, ITEM) >= 0 ? ImportOptions.Shape.LONG
        : ImportOptions.Shape.WIDE;
    Timestamps times = new Timestamps(o.zone());
    return shape == ImportOptions.Shape.LONG
        ? longFormat(o, columns, rows, scoring, times)
        : wideFormat(o, columns, rows, scoring);
  }

  private static Contents longFormat(ImportOptions o, List<String> columns, List<Row> rows,
      AnswerScoring scoring, Timestamps times) {
    int user = require(o, columns, USER, "user");
    int item = require(o, columns, ITEM, "item");
    int answer = require(o, columns, ANSWER, "answer (correct)");
    int session = find(columns, SESSION);
    int topic = find(columns, TOPIC);
    int time = find(columns, TIME);
    int rt = find(columns, RESPONSE_TIME);
    int hints = find(columns, HINTS);
    requireTime(o, time);
    List<Answer> answers = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    long notAnswered = 0;
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      long n = r + 1L;
      int before = problems.size();
      String u = text(row, user);
      String i = text(row, item);
      if (u.isEmpty()) {
        problems.add(new Problem(n, columns.get(user), u, "empty: every answer needs its student"));
      }
      if (i.isEmpty()) {
        problems.add(new Problem(n, columns.get(item), i, "empty: every answer needs its item"));
      }
      Boolean correct = null;
      try {
        correct = scoring.score(i, row.getString(answer));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(n, columns.get(answer), row.getString(answer), e.getMessage()));
      }
      Instant at = null;
      if (time >= 0 && !text(row, time).isEmpty()) {
        try {
          at = times.parse(text(row, time));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(n, columns.get(time), text(row, time), e.getMessage()));
        }
      } else if (time >= 0 && o.examDate() == null) {
        problems.add(new Problem(n, columns.get(time), "", "empty, and no --exam-date to use instead"));
      }
      double ms = number(row, rt, n, columns, problems, 0.0);
      double h = number(row, hints, n, columns, problems, 0.0);
      if (h != Math.rint(h)) {
        problems.add(new Problem(n, columns.get(hints), text(row, hints), "not a whole number"));
      }
      if (problems.size() > before) {
        continue;
      }
      if (correct == AnswerScoring.NOT_ANSWERED) {
        notAnswered++;
        continue;
      }
      answers.add(new Answer(n, u, i, correct, session >= 0 && !text(row, session).isEmpty()
          ? text(row, session) : null, topic >= 0 && !text(row, topic).isEmpty() ? text(row, topic) : o.topic(),
          at, ms, (int) h));
    }
    return new Contents(ImportOptions.Shape.LONG, rows.size(), answers, notAnswered, problems, columns);
  }

  private static Contents wideFormat(ImportOptions o, List<String> columns, List<Row> rows,
      AnswerScoring scoring) {
    int user = o.userColumn() != null ? columns.indexOf(o.userColumn())
        : Math.max(find(columns, USER), 0);
    if (user < 0) {
      throw Errors.badImportShape(o.file(), "it has no column '" + o.userColumn() + "'",
          "Name the student column with --user-column (its columns: " + String.join(", ", columns) + ").");
    }
    requireTime(o, -1);
    List<Answer> answers = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    long notAnswered = 0;
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      long n = r + 1L;
      String u = text(row, user);
      if (u.isEmpty()) {
        problems.add(new Problem(n, columns.get(user), u, "empty: every row needs its student"));
        continue;
      }
      for (int c = 0; c < columns.size(); c++) {
        if (c == user) {
          continue;
        }
        String item = columns.get(c);
        try {
          Boolean correct = scoring.score(item, row.getString(c));
          if (correct == AnswerScoring.NOT_ANSWERED) {
            notAnswered++;
          } else {
            answers.add(new Answer(n, u, item, correct, null, o.topic(), null, 0.0, 0));
          }
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(n, item, row.getString(c), e.getMessage()));
        }
      }
    }
    return new Contents(ImportOptions.Shape.WIDE, rows.size(), answers, notAnswered, problems, columns);
  }

  /** Answer key file: CSV {@code item,key} (header row; the first two columns). */
  static Map<String, String> key(SparkSession spark, String file) {
    Dataset<Row> d = read(spark, file);
    if (d.columns().length < 2) {
      throw Errors.badImportShape(file, "an answer key needs two columns (item, key)",
          "Give a CSV like: item,key / Item_1,B / Item_2,D.");
    }
    Map<String, String> key = new HashMap<>();
    List<Row> rows = d.collectAsList();
    for (int r = 0; r < rows.size(); r++) {
      String item = text(rows.get(r), 0);
      String k = text(rows.get(r), 1);
      if (item.isEmpty() || k.isEmpty()) {
        throw Errors.badImportFile(file, r + 1, item.isEmpty() ? d.columns()[0] : d.columns()[1], "", "empty",
            "Every row of the key names an item and its correct option.");
      }
      key.put(item, k);
    }
    return key;
  }

  private static void requireTime(ImportOptions o, int time) {
    if (time < 0 && o.examDate() == null) {
      throw Errors.badImportShape(o.file(), "it has no answered-at column (answered_at, timestamp or time)",
          "Pass --exam-date YYYY-MM-DD: the day the exam was taken.");
    }
  }

  private static double number(Row row, int column, long n, List<String> columns, List<Problem> problems,
      double absent) {
    if (column < 0 || text(row, column).isEmpty()) {
      return absent;
    }
    try {
      double v = Double.parseDouble(text(row, column));
      if (v < 0 || !Double.isFinite(v)) {
        problems.add(new Problem(n, columns.get(column), text(row, column), "negative or not finite"));
      }
      return v;
    } catch (NumberFormatException e) {
      problems.add(new Problem(n, columns.get(column), text(row, column), "not a number"));
      return absent;
    }
  }

  private static int require(ImportOptions o, List<String> columns, List<String> names, String what) {
    int i = find(columns, names);
    if (i < 0) {
      throw Errors.badImportShape(o.file(), "it has no " + what + " column (one of " + String.join(", ", names)
          + "; it has " + String.join(", ", columns) + ")", "Rename the column or use the wide format (--wide).");
    }
    return i;
  }

  static int find(List<String> columns, List<String> names) {
    for (String name : names) {
      for (int c = 0; c < columns.size(); c++) {
        if (columns.get(c).trim().equalsIgnoreCase(name)) {
          return c;
        }
      }
    }
    return -1;
  }

  private static String text(Row row, int c) {
    return row.isNullAt(c) ? "" : AnswerScoring.clean(row.getString(c));
  }
}
