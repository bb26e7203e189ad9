package io.seedtest.analytics.calibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * A tree aggregation whose result does not depend on task timing: partial results are merged in
 * partition order at every level.
 *
 * <p>Why not {@code RDD.treeAggregate}: its last level folds the partial results on the driver in
 * the order the tasks finish, and floating-point addition is not associative, so two runs over the
 * same data can differ in the last bits. After EM iterations those bits decide whether the
 * upsert sees a changed value, and a rerun of the same window must rewrite nothing. Here each
 * level groups {@value #FANOUT} consecutive partitions (one shuffle of the partial results only,
 * which are small: items × nodes doubles), merges them in index order, and the driver merges the
 * last ≤ 2·{@value #FANOUT} in order. With a handful of partitions (one per core) that is just a
 * collect of the partials and an ordered sum.
 */
final class OrderedReduce {
  static final int FANOUT = 16;

  private OrderedReduce() {}

  /**
   * @param onePerPartition an RDD with at most one value per partition (empty partitions allowed)
   * @param merge adds its second argument into its first and returns the first
   * @return the merged value, or null when every partition was empty
   */
  static <T> T reduce(JavaRDD<T> onePerPartition, Function2<T, T, T> merge) throws Exception {
    JavaRDD<T> level = onePerPartition;
    int n = level.getNumPartitions();
    while (n > 2 * FANOUT) {
      int groups = (n + FANOUT - 1) / FANOUT;
      level = level
          .mapPartitionsWithIndex((Integer index, Iterator<T> it) -> {
            List<Tuple2<Integer, Tuple2<Integer, T>>> out = new ArrayList<>(1);
            while (it.hasNext()) {
              out.add(new Tuple2<>(index / FANOUT, new Tuple2<>(index, it.next())));
            }
            return out.iterator();
          }, true)
          .mapToPair(t -> t)
          .partitionBy(new HashPartitioner(groups))
          .mapPartitions(it -> {
            List<Tuple2<Integer, T>> parts = new ArrayList<>();
            it.forEachRemaining(t -> parts.add(t._2()));
            parts.sort(Comparator.comparing(Tuple2::_1));
            List<T> out = new ArrayList<>(1);
            T acc = null;
            for (Tuple2<Integer, T> p : parts) {
              acc = acc == null ? p._2() : merge.call(acc, p._2());
            }
            if (acc != null) {
              out.add(acc);
            }
            return out.iterator();
          }, true);
      n = groups;
    }
    T acc = null;
    for (T part : level.collect()) {
      acc = acc == null ? part : merge.call(acc, part);
    }
    return acc;
  }
}
