package io.seedtest.analytics.features;

/** The period features are aggregated over. Daily is the product default; hourly is an option. */
public enum Granularity {
  DAY, HOUR;

  public String code() {
    return name().toLowerCase();
  }
}
