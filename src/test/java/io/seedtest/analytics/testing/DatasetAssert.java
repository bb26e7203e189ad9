package io.seedtest.analytics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Row-level equality for Datasets: rows become Object[] of the named columns (doubles rounded to
 * 1e-9 so arithmetic noise does not fail a test), sorted, and compared with a message naming the
 * context.
 */
public final class DatasetAssert {
  private DatasetAssert() {}

  public static List<List<Object>> rows(Dataset<Row> ds, String... columns) {
    Dataset<Row> sel = columns.length == 0 ? ds : ds.selectExpr(columns);
    List<List<Object>> out = new ArrayList<>();
    for (Row r : sel.collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        values.add(normalise(r.get(i)));
      }
      out.add(values);
    }
    out.sort(Comparator.comparing(Object::toString));
    return out;
  }

  public static void assertRows(String context, Dataset<Row> ds, String[] columns, Object[]... expected) {
    List<List<Object>> want = new ArrayList<>();
    for (Object[] e : expected) {
      List<Object> values = new ArrayList<>();
      for (Object o : e) {
        values.add(normalise(o));
      }
      want.add(values);
    }
    want.sort(Comparator.comparing(Object::toString));
    assertThat(rows(ds, columns)).as(context + " (columns " + Arrays.toString(columns) + ")").isEqualTo(want);
  }

  public static String[] cols(String... names) {
    return names;
  }

  public static Object[] row(Object... values) {
    return values;
  }

  private static Object normalise(Object o) {
    if (o instanceof Double d) {
      return Math.round(d * 1e9) / 1e9;
    }
    if (o instanceof Float f) {
      return Math.round(f * 1e9) / 1e9;
    }
    if (o instanceof Integer i) {
      return i.longValue();
    }
    if (o instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (o instanceof java.time.LocalDate d) {
      return d.toString();
    }
    return o;
  }
}
