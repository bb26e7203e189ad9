package io.seedtest.analytics.kpi;

import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Φ, the standard normal distribution function, to double precision (Hart 1968 as given by
 * G. West, "Better approximations to cumulative normal functions", Wilmott 2005: absolute error
 * below 1e-14), and as a Spark UDF (Spark SQL has no normal CDF).
 */
public final class NormalCdf {
  private NormalCdf() {}

  public static double cdf(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    double ax = Math.abs(x);
    double c;
    if (ax > 37) {
      c = 0;
    } else {
      double e = Math.exp(-ax * ax / 2);
      if (ax < 7.07106781186547) {
        double b = 3.52624965998911E-02 * ax + 0.700383064443688;
        b = b * ax + 6.37396220353165;
        b = b * ax + 33.912866078383;
        b = b * ax + 112.079291497871;
        b = b * ax + 221.213596169931;
        b = b * ax + 220.206867912376;
        c = e * b;
        b = 8.83883476483184E-02 * ax + 1.75566716318264;
        b = b * ax + 16.064177579207;
        b = b * ax + 86.7807322029461;
        b = b * ax + 296.564248779674;
        b = b * ax + 637.333633378831;
        b = b * ax + 793.826512519948;
        b = b * ax + 440.413735824752;
        c = c / b;
      } else {
        double b = ax + 0.65;
        b = ax + 4 / b;
        b = ax + 3 / b;
        b = ax + 2 / b;
        b = ax + 1 / b;
        c = e / b / 2.506628274631;
      }
    }
    return x > 0 ? 1 - c : c;
  }

  /** Φ as a null-safe UDF on doubles. */
  public static UserDefinedFunction udf() {
    return functions.udf((UDF1<Double, Double>) x -> x == null ? null : cdf(x), DataTypes.DoubleType)
        .withName("normal_cdf");
  }
}
