package sparksgd.job;

import java.io.Serializable;
import java.util.Map;

/** The {@code spark} section: master, application name and extra Spark settings. */
public record SparkSpec(String master, String appName, Map<String, String> conf) implements Serializable {}
