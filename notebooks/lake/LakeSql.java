import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark SQL over the Delta lake for analysts (run by notebooks/lake-sql with the application's
 * classpath through Java's single-file launcher). Every folder under the lake root that holds a
 * _delta_log is a table of that name, registered in a throwaway catalog. Reads only: Delta readers never block the jobs' writers.
 *
 * <pre>
 *   LakeSql [--lake ROOT] [--out DIR] [name=]SQL ...
 * </pre>
 * Without --out each result is printed as a table; with it, each query is written to DIR/name.jsonl
 * (JSON lines; an unnamed query is q1, q2, ...). A query that fails ends with one line and exit 2.
 */
public final class LakeSql {
  public static void main(String[] args) throws Exception {
    String lake = System.getenv().getOrDefault("SEEDTEST_LAKE", "./lake");
    Path out = null;
    Map<String, String> queries = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--lake") || a.equals("--out")) && i + 1 >= args.length) {
        fail("lake-sql: " + a + " needs a value", 2);
      } else if (a.equals("--lake")) {
        lake = args[++i];
      } else if (a.equals("--out")) {
        out = Path.of(args[++i]);
      } else if (a.equals("--help") || a.equals("-h")) {
        System.out.println("usage: notebooks/lake-sql [--lake ROOT] [--out DIR] [name=]SQL ...");
        return;
      } else if (a.matches("(?s)[A-Za-z_][A-Za-z0-9_]*=.*")) {
        int eq = a.indexOf('=');
        queries.put(a.substring(0, eq), a.substring(eq + 1));
      } else {
        queries.put("q" + (queries.size() + 1), a);
      }
    }
    if (queries.isEmpty()) {
      fail("lake-sql: no query given (usage: notebooks/lake-sql [--lake ROOT] [--out DIR] [name=]SQL ...)", 2);
    }
    SparkSession spark = SparkSession.builder().appName("lake-sql")
        .master(System.getenv().getOrDefault("SPARK_MASTER", "local[2]"))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    int status = 0;
    try {
      List<String> tables = register(spark, lake);
      System.err.println("lake-sql: " + tables.size() + " tables under " + lake + ": " + String.join(", ", tables));
      if (out != null) {
        Files.createDirectories(out);
      }
      for (Map.Entry<String, String> q : queries.entrySet()) {
        Dataset<Row> result;
        try {
          result = spark.sql(q.getValue());
          if (out == null) {
            result.show(1000, false);
          } else {
            write(result, out.resolve(q.getKey() + ".jsonl"));
          }
        } catch (Exception e) {
          String why = String.valueOf(e.getMessage()).lines().filter(l -> !l.isBlank()).findFirst().orElse(e.toString());
          System.err.println("lake-sql: the query failed: " + q.getKey() + ": " + why);
          status = 2;
          break;
        }
      }
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  /** A temporary view per Delta table folder directly under the lake root. */
  private static List<String> register(SparkSession spark, String lake) throws IOException {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(lake);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(root)) {
      fail("lake-sql: no lake at " + lake + " (set SEEDTEST_LAKE or --lake to the folder the jobs write to)", 2);
    }
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(root)) {
      if (s.isDirectory() && fs.exists(new org.apache.hadoop.fs.Path(s.getPath(), "_delta_log"))) {
        String name = s.getPath().getName();
        // an external table in this JVM's throwaway catalog (not a view): DESCRIBE HISTORY and
        // VERSION AS OF need a Delta table; registering an existing table commits nothing
        spark.sql("CREATE TABLE `" + name + "` USING DELTA LOCATION '" + s.getPath().toString().replace("'", "\\'") + "'");
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  private static void write(Dataset<Row> result, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String line : result.toJSON().collectAsList()) {
        w.write(line);
        w.write('\n');
      }
    }
  }

  private static void fail(String line, int status) {
    System.err.println(line);
    System.exit(status);
  }
}
