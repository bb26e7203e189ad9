package io.seedtest.analytics.bench;

import io.seedtest.analytics.irt.EStep;
import io.seedtest.analytics.irt.ExpectedCounts;
import io.seedtest.analytics.irt.ItemCounts;
import io.seedtest.analytics.irt.ItemLogTables;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.Quadrature;
import io.seedtest.analytics.irt.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One E-step against its native floor (issue 17, docs/irt.md): the same work in C built here with
 * {@code gcc -O3 -march=native} on one and two threads, beside the plain-Java kernel
 * ({@link EStep#local}) on one and two threads, over the same simulated arrays. Prints answer·node
 * updates per second (answers × quadrature nodes per E-step) of the best of several passes, in wall
 * time and in CPU time (the process's for C, the calling thread's for one Java thread: on a shared
 * machine under load the per-core comparison that stays put), and checks that C and Java agree on
 * the log-likelihood and the counts.
 */
public final class EStepFloorBenchmark {
  /** The recovery sets of the calibration benchmark: 60 answers per student. */
  record DataSet(String name, int students, int items, long seed) {
    static final int PER_STUDENT = 60;

    long answers() {
      return (long) students * PER_STUDENT;
    }
  }

  static final List<DataSet> SETS = List.of(new DataSet("1.2M (20k x 500)", 20_000, 500, 301L),
      new DataSet("6M (100k x 2000)", 100_000, 2_000, 302L));

  /** One kernel's best pass, its log-likelihood and counts checksum (for the agreement check). */
  record Pass(String kernel, double seconds, double cpuSeconds, double logLikelihood, double checksum) {}

  private final int repeats;
  private final boolean quick;
  private final PrintStream out;

  public EStepFloorBenchmark(int repeats, boolean quick, PrintStream out) {
    this.repeats = repeats;
    this.quick = quick;
    this.out = out;
  }

  public void run() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("seedtest-bench-estep-");
    try {
      Path binary = compileFloor(dir);
      out.println("| set | kernel | best wall s | updates/s (wall) | best CPU s | updates/s per CPU s "
          + "| CPU vs C 1 thread |");
      out.println("|---|---|---:|---:|---:|---:|---:|");
      for (DataSet set : quick ? SETS.subList(0, 1) : SETS) {
        measure(set, binary, dir);
      }
      if (binary == null) {
        out.println();
        out.println("(no gcc on PATH: the native floor was skipped)");
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void measure(DataSet set, Path binary, Path dir) throws IOException, InterruptedException {
    Random random = new Random(set.seed());
    ItemParams[] params = trueItems(random, set.items());
    Responses data = simulate(random, params, set.students());
    ItemLogTables tables = ItemLogTables.of(params, Quadrature.standardNormal());
    long updates = set.answers() * tables.nodes();
    List<Pass> passes = new ArrayList<>();
    if (binary != null) {
      Path arrays = dir.resolve("arrays.bin");
      write(arrays, data, tables);
      passes.add(native1(binary, arrays, 1));
      passes.add(native1(binary, arrays, 2));
      Files.delete(arrays);
    }
    passes.add(java("Java EStep.local, 1 thread", EStep.local(data), tables, true));
    passes.add(java("Java EStep.local, 2 threads", EStep.local(data, 2), tables, false));
    double floor = binary != null ? passes.get(0).cpuSeconds() : Double.NaN;
    for (Pass p : passes) {
      out.printf("| %s | %s | %.4f | %.3g | %s | %s | %s |%n", set.name(), p.kernel(), p.seconds(),
          updates / p.seconds(), Double.isNaN(p.cpuSeconds()) ? "–" : String.format("%.4f", p.cpuSeconds()),
          Double.isNaN(p.cpuSeconds()) ? "–" : String.format("%.3g", updates / p.cpuSeconds()),
          Double.isNaN(p.cpuSeconds()) ? "–" : String.format("%.2f×", p.cpuSeconds() / floor));
    }
    Pass reference = passes.get(passes.size() - 1);
    for (Pass p : passes) {
      double dLl = Math.abs(p.logLikelihood() - reference.logLikelihood()) / Math.abs(reference.logLikelihood());
      double dSum = Math.abs(p.checksum() - reference.checksum()) / Math.abs(reference.checksum());
      if (dLl > 1e-10 || dSum > 1e-10) {
        throw new IllegalStateException(p.kernel() + " disagrees with " + reference.kernel() + ": log-likelihood "
            + p.logLikelihood() + " vs " + reference.logLikelihood() + ", counts " + p.checksum() + " vs "
            + reference.checksum());
      }
    }
  }

  private Pass java(String kernel, EStep eStep, ItemLogTables tables, boolean thisThread) {
    ExpectedCounts counts = null;
    for (int w = 0; w < 3; w++) {
      counts = eStep.expectedCounts(tables); // JIT warm-up
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double best = Double.POSITIVE_INFINITY;
    double bestCpu = Double.POSITIVE_INFINITY;
    for (int r = 0; r < repeats; r++) {
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      counts = eStep.expectedCounts(tables);
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
      bestCpu = Math.min(bestCpu, (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
    }
    // the pool's threads are not this one: no per-core CPU figure for the 2-thread run
    return new Pass(kernel, best, thisThread ? bestCpu : Double.NaN, counts.logLikelihood(), checksum(counts));
  }

  /** Σ r_jk + 2 Σ (n_jk − r_jk): the C floor prints the same sum of its rows. */
  static double checksum(ExpectedCounts counts) {
    double sum = 0.0;
    for (int j = 0; j < counts.items(); j++) {
      ItemCounts c = counts.itemCounts(j);
      for (int k = 0; k < counts.nodes(); k++) {
        sum += c.correct()[k] + 2.0 * (c.answered()[k] - c.correct()[k]);
      }
    }
    return sum;
  }

  private Pass native1(Path binary, Path arrays, int threads) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(binary.toString(), arrays.toString(), Integer.toString(threads),
        Integer.toString(repeats + 1)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("estep_floor failed: " + output);
    }
    String[] f = output.split("\\s+");
    return new Pass("C gcc -O3 -march=native, " + threads + (threads == 1 ? " thread" : " threads"),
        Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]));
  }

  /** Writes estep_floor.c from the classpath and builds it; null when there is no gcc. */
  private Path compileFloor(Path dir) throws IOException, InterruptedException {
    Path source = dir.resolve("estep_floor.c");
    try (InputStream in = EStepFloorBenchmark.class.getResourceAsStream("estep_floor.c")) {
      Files.copy(in, source);
    }
    Path binary = dir.resolve("estep_floor");
    Process gcc;
    try {
      gcc = new ProcessBuilder("gcc", "-O3", "-march=native", "-o", binary.toString(), source.toString(), "-lm",
          "-lpthread").redirectErrorStream(true).start();
    } catch (IOException noGcc) {
      return null;
    }
    String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
      throw new IllegalStateException("gcc failed on estep_floor.c: " + log);
    }
    return binary;
  }

  /** The arrays as estep_floor.c reads them: a header, then each array little-endian. */
  private static void write(Path file, Responses data, ItemLogTables tables) throws IOException {
    int students = data.students();
    int answers = data.answers();
    double[] logPrior = Quadrature.standardNormal().logWeights();
    double[] logCorrect = tables.logRows(true);
    double[] logWrong = tables.logRows(false);
    long bytes = 16L + 4L * (students + 1) + 5L * answers + 8L * (logPrior.length + logCorrect.length * 2L);
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(students).putInt(answers).putInt(data.items()).putInt(tables.nodes());
    for (int s = 0; s <= students; s++) {
      b.putInt(s < students ? data.from(s) : data.to(students - 1));
    }
    for (int i : data.itemIndex()) {
      b.putInt(i);
    }
    b.put(data.correct());
    for (double[] a : new double[][] {logPrior, logCorrect, logWrong}) {
      for (double x : a) {
        b.putDouble(x);
      }
    }
    b.flip();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }

  /** 3PL items as the recovery design draws them: a ~ logN(0, 0.25²), b ~ N(0, 1), c ~ U(0.10, 0.25). */
  private static ItemParams[] trueItems(Random random, int count) {
    ItemParams[] items = new ItemParams[count];
    for (int j = 0; j < count; j++) {
      items[j] = ItemParams.of(Math.exp(0.25 * random.nextGaussian()), random.nextGaussian(),
          0.10 + 0.15 * random.nextDouble());
    }
    return items;
  }

  /** θ ~ N(0, 1); each student answers 60 distinct items drawn uniformly. */
  private static Responses simulate(Random random, ItemParams[] items, int students) {
    int per = DataSet.PER_STUDENT;
    int[] offsets = new int[students + 1];
    int[] itemIndex = new int[students * per];
    byte[] correct = new byte[students * per];
    int[] deck = new int[items.length];
    for (int j = 0; j < deck.length; j++) {
      deck[j] = j;
    }
    int i = 0;
    for (int s = 0; s < students; s++) {
      double theta = random.nextGaussian();
      for (int q = 0; q < per; q++) {
        int pick = q + random.nextInt(deck.length - q);
        int item = deck[pick];
        deck[pick] = deck[q];
        deck[q] = item;
        itemIndex[i] = item;
        correct[i] = random.nextDouble() < items[item].probability(theta) ? (byte) 1 : (byte) 0;
        i++;
      }
      offsets[s + 1] = i;
    }
    return new Responses(offsets, itemIndex, correct, items.length);
  }
}
