package io.seedtest.analytics.calibration;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * A partition's observations before items get dense indices: per student (ascending user id) her
 * answers with the platform's item ids, one per item, keeping each student's <em>first</em>
 * answer to an item in the window: later answers to the same item come after practice, feedback
 * and possibly seeing the solution, so they measure the item's exposure as much as the student,
 * and counting them would also weigh repeated items twice. Repeats are counted, not quarantined:
 * they are valid data for other jobs. "First" is by answer time, then session, position in the
 * session and result id, so the choice never depends on the order rows arrive in.
 */
final class RawBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  final long[] users;
  final int[] offsets;
  final long[] itemIds;
  final byte[] correct;
  /** Response time of each kept answer in ms, NaN when the row had none. */
  final double[] responseMs;
  final long repeats;
  /** Rows read for the window's sessions whose answers fall outside the window's days: counted, not used. */
  final long outside;
  /** Rows validation rejected: (reason, event_day, source_key, payload), for the quarantine. */
  final java.util.List<Row> quarantined;

  private RawBlock(long[] users, int[] offsets, long[] itemIds, byte[] correct, double[] responseMs, long repeats,
      long outside, java.util.List<Row> quarantined) {
    this.users = users;
    this.offsets = offsets;
    this.itemIds = itemIds;
    this.correct = correct;
    this.responseMs = responseMs;
    this.repeats = repeats;
    this.outside = outside;
    this.quarantined = quarantined;
  }

  /** Column positions {@link #build} reads: see {@link DistributedResponses#build}. */
  static final int USER = 0;
  static final int ITEM = 1;
  static final int CORRECT = 2;
  static final int ANSWERED_AT = 3;
  static final int SESSION = 4;
  static final int SEQ = 5;
  static final int RESULT = 6;
  static final int REASON = 7;
  static final int EVENT_DAY = 8;
  static final int SOURCE_KEY = 9;
  static final int PAYLOAD = 10;
  static final int IN_WINDOW = 11;
  static final int RESPONSE_TIME = 12;

  /**
   * @param rows Spark's internal rows (user_id, item_id, correct, answered_at, session_id, seq,
   *     result_id, reason, event_day, source_key, payload, in_window, response_time_ms), each student's rows contiguous (sorted
   *     by user id only: the order within a student is settled here); rows with a reason are set
   *     aside for the quarantine, rows with in_window false are only counted. Read field by field and never kept (Spark reuses the row objects).
   */
  static RawBlock build(Iterator<InternalRow> rows) {
    Builder b = new Builder();
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      if (!r.isNullAt(IN_WINDOW) && !r.getBoolean(IN_WINDOW)) {
        b.outside++;
        continue;
      }
      if (!r.isNullAt(REASON)) {
        b.quarantined.add(RowFactory.create(r.getUTF8String(REASON).toString(),
            r.isNullAt(EVENT_DAY) ? null : java.sql.Date.valueOf(java.time.LocalDate.ofEpochDay(r.getInt(EVENT_DAY))),
            r.isNullAt(SOURCE_KEY) ? null : r.getUTF8String(SOURCE_KEY).toString(),
            r.isNullAt(PAYLOAD) ? null : r.getUTF8String(PAYLOAD).toString()));
        continue;
      }
      b.add(r.getLong(USER), r.getLong(ITEM), r.getBoolean(CORRECT), r.getLong(ANSWERED_AT), r.getLong(SESSION),
          r.getInt(SEQ), r.getLong(RESULT), r.isNullAt(RESPONSE_TIME) ? Double.NaN : r.getDouble(RESPONSE_TIME));
    }
    return b.finish();
  }

  /** Collects one student at a time, sorts her answers, keeps the first answer per item. */
  private static final class Builder {
    long[] users = new long[1024];
    int[] offsets = new int[1025];
    long[] items = new long[8192];
    byte[] outcomes = new byte[8192];
    double[] times = new double[8192];
    int students;
    int answers;
    long repeats;
    long outside;
    final java.util.List<Row> quarantined = new java.util.ArrayList<>();
    // the current student's answers, unsorted
    long current;
    boolean open;
    int n;
    long[] bItem = new long[256];
    long[] bTime = new long[256];
    long[] bSession = new long[256];
    int[] bSeq = new int[256];
    long[] bResult = new long[256];
    byte[] bCorrect = new byte[256];
    double[] bRt = new double[256];
    Integer[] order = new Integer[256];

    void add(long user, long item, boolean isCorrect, long answeredAt, long session, int seq, long result,
        double responseMs) {
      if (open && user != current) {
        flush();
      }
      if (!open) {
        current = user;
        open = true;
        n = 0;
      }
      if (n == bItem.length) {
        int size = n * 2;
        bItem = Arrays.copyOf(bItem, size);
        bTime = Arrays.copyOf(bTime, size);
        bSession = Arrays.copyOf(bSession, size);
        bSeq = Arrays.copyOf(bSeq, size);
        bResult = Arrays.copyOf(bResult, size);
        bCorrect = Arrays.copyOf(bCorrect, size);
        bRt = Arrays.copyOf(bRt, size);
        order = Arrays.copyOf(order, size);
      }
      bItem[n] = item;
      bTime[n] = answeredAt;
      bSession[n] = session;
      bSeq[n] = seq;
      bResult[n] = result;
      bCorrect[n] = isCorrect ? (byte) 1 : (byte) 0;
      bRt[n] = responseMs;
      n++;
    }

    void flush() {
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, 0, n, (x, y) -> {
        int c = Long.compare(bItem[x], bItem[y]);
        if (c == 0) {
          c = Long.compare(bTime[x], bTime[y]);
        }
        if (c == 0) {
          c = Long.compare(bSession[x], bSession[y]);
        }
        if (c == 0) {
          c = Integer.compare(bSeq[x], bSeq[y]);
        }
        return c != 0 ? c : Long.compare(bResult[x], bResult[y]);
      });
      if (students == users.length) {
        users = Arrays.copyOf(users, students * 2);
        offsets = Arrays.copyOf(offsets, students * 2 + 1);
      }
      offsets[students] = answers;
      users[students++] = current;
      for (int k = 0; k < n; k++) {
        int i = order[k];
        if (k > 0 && bItem[i] == bItem[order[k - 1]]) {
          repeats++;
          continue;
        }
        if (answers == items.length) {
          items = Arrays.copyOf(items, answers * 2);
          outcomes = Arrays.copyOf(outcomes, answers * 2);
          times = Arrays.copyOf(times, answers * 2);
        }
        times[answers] = bRt[i];
        items[answers] = bItem[i];
        outcomes[answers++] = bCorrect[i];
      }
      open = false;
    }

    RawBlock finish() {
      if (open) {
        flush();
      }
      offsets[students] = answers;
      return new RawBlock(Arrays.copyOf(users, students), Arrays.copyOf(offsets, students + 1),
          Arrays.copyOf(items, answers), Arrays.copyOf(outcomes, answers), Arrays.copyOf(times, answers), repeats,
          outside, quarantined);
    }
  }

  int students() {
    return users.length;
  }

  int answers() {
    return itemIds.length;
  }

  /**
   * Per item id (ascending): answers, correct answers and response times in this block; with
   * {@code rapid} (null: none), the rapid guesses are left out of the counts and counted apart.
   */
  ItemTally tally(RapidGuessThresholds rapid) {
    long[] ids = itemIds.clone();
    Arrays.sort(ids);
    int distinct = 0;
    for (int i = 0; i < ids.length; i++) {
      if (i == 0 || ids[i] != ids[i - 1]) {
        ids[distinct++] = ids[i];
      }
    }
    long[] unique = Arrays.copyOf(ids, distinct);
    long[] n = new long[distinct];
    long[] r = new long[distinct];
    double[] timeSum = new double[distinct];
    long[] timed = new long[distinct];
    long guesses = 0;
    for (int i = 0; i < itemIds.length; i++) {
      if (rapid != null && rapid.isRapid(itemIds[i], responseMs[i])) {
        guesses++;
        continue;
      }
      int k = Arrays.binarySearch(unique, itemIds[i]);
      n[k]++;
      r[k] += correct[i];
      if (!Double.isNaN(responseMs[i])) {
        timeSum[k] += responseMs[i];
        timed[k]++;
      }
    }
    return new ItemTally(unique, n, r, timeSum, timed, students(), answers(), repeats, outside, guesses);
  }

  /**
   * This block with dense item indices, keeping only answers on calibrated items that are not
   * rapid guesses ({@code rapid} null: none are); students left with no answer are dropped (they
   * are not scored: an estimate from the prior alone is not a measurement).
   */
  ResponseBlock dense(ItemIndex index, RapidGuessThresholds rapid) {
    int[] kept = new int[itemIds.length];
    byte[] outcome = new byte[itemIds.length];
    long[] keptUsers = new long[users.length];
    int[] keptOffsets = new int[users.length + 1];
    int answers = 0;
    int students = 0;
    for (int s = 0; s < users.length; s++) {
      int before = answers;
      for (int i = offsets[s]; i < offsets[s + 1]; i++) {
        int d = index.denseIndex(itemIds[i]);
        if (d >= 0 && (rapid == null || !rapid.isRapid(itemIds[i], responseMs[i]))) {
          kept[answers] = d;
          outcome[answers++] = correct[i];
        }
      }
      if (answers > before) {
        keptUsers[students++] = users[s];
        keptOffsets[students] = answers;
      }
    }
    return new ResponseBlock(Arrays.copyOf(keptUsers, students),
        new io.seedtest.analytics.irt.Responses(Arrays.copyOf(keptOffsets, students + 1),
            Arrays.copyOf(kept, answers), Arrays.copyOf(outcome, answers), index.eligible()));
  }

  /**
   * Per-item answer counts of one block plus its totals; merged on the driver. A plain class, not
   * a record: task results go through {@code spark.serializer}, and Kryo cannot build records.
   */
  static final class ItemTally implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] itemIds;
    private final long[] answers;
    private final long[] correct;
    private final double[] timeSumMs;
    private final long[] timed;
    private final long students;
    private final long totalAnswers;
    private final long repeats;
    private final long outside;
    private final long rapidGuesses;

    ItemTally(long[] itemIds, long[] answers, long[] correct, double[] timeSumMs, long[] timed, long students,
        long totalAnswers, long repeats, long outside, long rapidGuesses) {
      this.itemIds = itemIds;
      this.answers = answers;
      this.correct = correct;
      this.timeSumMs = timeSumMs;
      this.timed = timed;
      this.rapidGuesses = rapidGuesses;
      this.students = students;
      this.totalAnswers = totalAnswers;
      this.repeats = repeats;
      this.outside = outside;
    }

    long outside() {
      return outside;
    }

    double[] timeSumMs() {
      return timeSumMs;
    }

    long[] timed() {
      return timed;
    }

    long rapidGuesses() {
      return rapidGuesses;
    }

    long[] itemIds() {
      return itemIds;
    }

    long[] answers() {
      return answers;
    }

    long[] correct() {
      return correct;
    }

    long students() {
      return students;
    }

    long totalAnswers() {
      return totalAnswers;
    }

    long repeats() {
      return repeats;
    }
  }
}
