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
  /** topic → indices into the arrays, in ascending item id. */
  final Map<String, int[]> byTopic;

  public ItemPool(long[] itemId, String[] topic, double[] a, double[] b, double[] c) {
    int n = itemId.length;
    if (topic.length != n || a.length != n || b.length != n || c.length != n) {
      throw new IllegalArgumentException("item arrays differ in length");
    }
    this.itemId = itemId.clone();
    this.topic = topic.clone();
    this.a = a.clone();
    this.b = b.clone();
    this.c = c.clone();
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

  public int size() {
    return itemId.length;
  }

  /** Topics that have at least one calibrated item, sorted. */
  List<String> topics() {
    return byTopic.keySet().stream().sorted().toList();
  }
}
