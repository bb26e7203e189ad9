package io.seedtest.analytics.io;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one output table is written back: its key, the columns whose change makes a row "changed",
 * bookkeeping columns (run id) that follow a change but do not cause one, and the scope a run
 * owns. Within the scope, target rows the run did not produce are deleted, so re-running a window
 * after upstream data changed converges to exactly what the run computed.
 *
 * @param table target table (same name in PostgreSQL and in the lake)
 * @param keys primary key columns
 * @param values data columns; a row is updated only when one of these differs
 * @param bookkeeping columns written on insert and on change only (e.g. run_id)
 * @param partitionColumn the lake table's date partition column, also used in the MERGE condition
 * @param scopeColumn the date column bounding what a run owns (usually the partition column), or null
 */
public record UpsertSpec(String table, List<String> keys, List<String> values, List<String> bookkeeping,
    String partitionColumn, String scopeColumn) implements Serializable {

  public UpsertSpec {
    Objects.requireNonNull(table, "table");
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("an upsert needs at least one key column for " + table);
    }
    keys = List.copyOf(keys);
    values = List.copyOf(values);
    bookkeeping = bookkeeping == null ? List.of() : List.copyOf(bookkeeping);
  }

  /** All columns in write order: keys, values, bookkeeping. */
  public List<String> columns() {
    List<String> all = new ArrayList<>(keys);
    all.addAll(values);
    all.addAll(bookkeeping);
    return all;
  }
}
