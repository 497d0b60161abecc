package sparksgd.model;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The single access point to BLAS. {@link BLAS#getInstance()} picks native OpenBLAS (JNIBLAS) when the
 * system library loads, else the Java Vector API implementation, else plain Java; keeping the lookup in
 * one place means one log line / one report field can say which one a run actually used.
 */
public final class Blas {
  private Blas() {}

  private static final BLAS INSTANCE = choose(System.getProperty("sparksgd.blas", "auto"),
      System.getenv("OPENBLAS_CORETYPE"));

  /** The process-wide BLAS instance (thread-safe; all calls are stateless). */
  public static BLAS get() {
    return INSTANCE;
  }

  /**
   * {@code native}: whatever netlib loads (OpenBLAS when installed); {@code java}: the Java Vector API
   * implementation; {@code auto} (default): native only when {@code OPENBLAS_CORETYPE} names the
   * kernels. OpenBLAS's own CPU detection falls back on virtual CPUs with a generic model name to its
   * Prescott kernels, which were measured here to give different last bits for the same product
   * depending on where the arrays sit in memory: that would break the same-seed, bit-identical
   * guarantee, so without a named core type the deterministic Java implementation is used.
   * {@code scripts/spark-sgd} names the core type from the CPU flags.
   */
  static BLAS choose(String preference, String coreType) {
    BLAS loaded = BLAS.getInstance();
    switch (preference) {
      case "native":
        return loaded;
      case "java":
        return dev.ludovic.netlib.blas.JavaBLAS.getInstance();
      default:
        boolean nativeLib = loaded.getClass().getSimpleName().equals("JNIBLAS");
        return nativeLib && (coreType == null || coreType.isBlank())
            ? dev.ludovic.netlib.blas.JavaBLAS.getInstance() : loaded;
    }
  }

  /** A human name for the implementation in use, for logs and run reports. */
  public static String implementationName() {
    return implementationName(get());
  }

  /**
   * The implementation plus the OpenBLAS environment that decides its speed, e.g.
   * {@code native OpenBLAS (OPENBLAS_CORETYPE=SkylakeX, OPENBLAS_NUM_THREADS=1)}, for run reports.
   */
  public static String describe() {
    String name = implementationName();
    if (!name.startsWith("native") && BLAS.getInstance().getClass().getSimpleName().equals("JNIBLAS")) {
      return name + " (native OpenBLAS is installed but OPENBLAS_CORETYPE is not set: its generic kernels are "
          + "not bit-reproducible on this CPU; scripts/spark-sgd sets it)";
    }
    if (!(get().getClass().getSimpleName().equals("JNIBLAS"))) {
      return name;
    }
    return name + " (OPENBLAS_CORETYPE=" + env("OPENBLAS_CORETYPE") + ", OPENBLAS_NUM_THREADS="
        + env("OPENBLAS_NUM_THREADS") + ")";
  }

  /**
   * A warning when native OpenBLAS runs without {@code OPENBLAS_CORETYPE}. Inside VMs whose CPU reports a
   * generic model name ("Intel(R) Xeon(R) Processor") OpenBLAS's detection falls back to its Prescott
   * (SSE3) kernels, measured 3-5x slower for dgemm than the Haswell / SkylakeX kernels the CPU supports.
   * The variable must be set before the JVM starts (launcher scripts, surefire, spark.executorEnv).
   */
  public static Optional<String> tuningWarning() {
    if (!get().getClass().getSimpleName().equals("JNIBLAS")) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    String core = System.getenv("OPENBLAS_CORETYPE");
    if (core == null || core.isBlank()) {
      sb.append("OPENBLAS_CORETYPE is not set; OpenBLAS may fall back to slow generic kernels on virtual CPUs");
      recommendedCoreType().ifPresent(c -> sb.append(" (this CPU supports OPENBLAS_CORETYPE=").append(c).append(')'));
    }
    if (!"1".equals(System.getenv("OPENBLAS_NUM_THREADS"))) {
      sb.append(sb.length() > 0 ? "; " : "")
          .append("OPENBLAS_NUM_THREADS is not 1, so OpenBLAS threads compete with Spark's task threads");
    }
    return sb.length() == 0 ? Optional.empty() : Optional.of(sb.toString());
  }

  /** {@code SkylakeX} with AVX-512, {@code Haswell} with AVX2 (from /proc/cpuinfo, Linux only), else empty. */
  public static Optional<String> recommendedCoreType() {
    try {
      String flags = Files.readString(Path.of("/proc/cpuinfo"));
      if (flags.contains(" avx512f")) {
        return Optional.of("SkylakeX");
      }
      if (flags.contains(" avx2")) {
        return Optional.of("Haswell");
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux or not readable: no advice.
    }
    return Optional.empty();
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "unset" : v;
  }

  static String implementationName(BLAS blas) {
    String cls = blas.getClass().getSimpleName();
    switch (cls) {
      case "JNIBLAS":
        return "native OpenBLAS";
      case "VectorBLAS":
        return "VectorBLAS (Java Vector API)";
      case "Java11BLAS":
      case "Java8BLAS":
      case "F2jBLAS":
        return "Java (F2J)";
      default:
        return cls;
    }
  }
}
