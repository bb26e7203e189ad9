package io.seedtest.analytics.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The calibrated items a report may recommend, as primitive arrays grouped by topic: broadcast once
 * to the executors, where every student's recommendations are chosen. Only items with a topic and
 * finite a, b, c from the latest calibration are in it (an uncalibrated item is never recommended).
 */
public final class ItemPool implements Serializable {
  private static final long serialVersionUID = 1L;

  final long[] itemId;
  final double[] a;
  final double[] b;
  final double[] c;
  final String[] topic;
  /** Standard errors of a, b, c from the calibration (NaN where it gave none). */
  final double[] seA;
  final double[] seB;
  final double[] seC;
  /** topic → indices into the arrays, in ascending item id. */
  final Map<String, int[]> byTopic;

  /** No items: the fingerprint of the code alone (the pool's tables are versioned separately). */
  static final ItemPool EMPTY = new ItemPool(new long[0], new String[0], new double[0], new double[0], new double[0]);

  /** A pool without standard errors (the item parameters taken as exact). */
  public ItemPool(long[] itemId, String[] topic, double[] a, double[] b, double[] c) {
    this(itemId, topic, a, b, c, nans(itemId.length), nans(itemId.length), nans(itemId.length));
  }

  public ItemPool(long[] itemId, String[] topic, double[] a, double[] b, double[] c, double[] seA, double[] seB,
      double[] seC) {
    int n = itemId.length;
    if (topic.length != n || a.length != n || b.length != n || c.length != n || seA.length != n || seB.length != n
        || seC.length != n) {
      throw new IllegalArgumentException("item arrays differ in length");
    }
    this.itemId = itemId.clone();
    this.topic = topic.clone();
    this.a = a.clone();
    this.b = b.clone();
    this.c = c.clone();
    this.seA = seA.clone();
    this.seB = seB.clone();
    this.seC = seC.clone();
    Map<String, List<Integer>> groups = new HashMap<>();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Long.compare(itemId[x], itemId[y]));
    for (int i : order) {
      groups.computeIfAbsent(topic[i], t -> new ArrayList<>()).add(i);
    }
    this.byTopic = new HashMap<>();
    groups.forEach((t, idx) -> byTopic.put(t, idx.stream().mapToInt(Integer::intValue).toArray()));
  }

  private static double[] nans(int n) {
    double[] x = new double[n];
    java.util.Arrays.fill(x, Double.NaN);
    return x;
  }

  public int size() {
    return itemId.length;
  }

  /** Topics that have at least one calibrated item, sorted. */
  List<String> topics() {
    return byTopic.keySet().stream().sorted().toList();
  }
}
