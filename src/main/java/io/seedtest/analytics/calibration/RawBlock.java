package io.seedtest.analytics.calibration;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * A partition's observations before items get dense indices: per student (ascending user id) her
 * answers with the platform's item ids, one per item. Built from rows sorted by user, item and
 * answer time, keeping each student's <em>first</em> answer to an item in the window: later
 * answers to the same item come after practice, feedback and possibly seeing the solution, so
 * they measure the item's exposure as much as the student, and counting them would also weigh
 * repeated items twice. Repeats are counted, not quarantined: they are valid data for other jobs.
 */
final class RawBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  final long[] users;
  final int[] offsets;
  final long[] itemIds;
  final byte[] correct;
  final long repeats;
  /** Rows validation rejected: (reason, event_day, source_key, payload), for the quarantine. */
  final java.util.List<Row> quarantined;

  private RawBlock(long[] users, int[] offsets, long[] itemIds, byte[] correct, long repeats,
      java.util.List<Row> quarantined) {
    this.users = users;
    this.offsets = offsets;
    this.itemIds = itemIds;
    this.correct = correct;
    this.repeats = repeats;
    this.quarantined = quarantined;
  }

  /** Column positions {@link #build} reads: see {@link DistributedResponses#build}. */
  static final int USER = 0;
  static final int ITEM = 1;
  static final int CORRECT = 2;
  static final int REASON = 7;
  static final int EVENT_DAY = 8;
  static final int SOURCE_KEY = 9;
  static final int PAYLOAD = 10;

  /**
   * @param rows (user_id, item_id, correct, answered_at, session_id, seq, result_id, reason,
   *     event_day, source_key, payload) sorted by user_id, item_id, then answer order; rows with a
   *     reason are set aside for the quarantine
   */
  static RawBlock build(Iterator<Row> rows) {
    long[] users = new long[1024];
    int[] offsets = new int[1025];
    long[] items = new long[8192];
    byte[] correct = new byte[8192];
    int students = 0;
    int answers = 0;
    long repeats = 0;
    long lastUser = 0;
    long lastItem = 0;
    boolean any = false;
    java.util.List<Row> quarantined = new java.util.ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      if (!r.isNullAt(REASON)) {
        quarantined.add(org.apache.spark.sql.RowFactory.create(r.get(REASON), r.get(EVENT_DAY), r.get(SOURCE_KEY),
            r.get(PAYLOAD)));
        continue;
      }
      long user = r.getLong(USER);
      long item = r.getLong(ITEM);
      if (any && user == lastUser && item == lastItem) {
        repeats++;
        continue;
      }
      if (!any || user != lastUser) {
        if (students == users.length) {
          users = Arrays.copyOf(users, students * 2);
          offsets = Arrays.copyOf(offsets, students * 2 + 1);
        }
        offsets[students] = answers;
        users[students++] = user;
      }
      if (answers == items.length) {
        items = Arrays.copyOf(items, answers * 2);
        correct = Arrays.copyOf(correct, answers * 2);
      }
      items[answers] = item;
      correct[answers++] = r.getBoolean(CORRECT) ? (byte) 1 : (byte) 0;
      lastUser = user;
      lastItem = item;
      any = true;
    }
    offsets[students] = answers;
    return new RawBlock(Arrays.copyOf(users, students), Arrays.copyOf(offsets, students + 1),
        Arrays.copyOf(items, answers), Arrays.copyOf(correct, answers), repeats, quarantined);
  }

  int students() {
    return users.length;
  }

  int answers() {
    return itemIds.length;
  }

  /** Per item id (ascending): answers and correct answers in this block. */
  ItemTally tally() {
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
    for (int i = 0; i < itemIds.length; i++) {
      int k = Arrays.binarySearch(unique, itemIds[i]);
      n[k]++;
      r[k] += correct[i];
    }
    return new ItemTally(unique, n, r, students(), answers(), repeats);
  }

  /**
   * This block with dense item indices, keeping only answers on calibrated items; students left
   * with no answer are dropped (they are not scored: an estimate from the prior alone is not a
   * measurement).
   */
  ResponseBlock dense(ItemIndex index) {
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
        if (d >= 0) {
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
    private final long students;
    private final long totalAnswers;
    private final long repeats;

    ItemTally(long[] itemIds, long[] answers, long[] correct, long students, long totalAnswers, long repeats) {
      this.itemIds = itemIds;
      this.answers = answers;
      this.correct = correct;
      this.students = students;
      this.totalAnswers = totalAnswers;
      this.repeats = repeats;
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
