package sparksgd.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one local[2] Spark session a test class shares ({@link TestSpark#start()}): started before the
 * class's own {@code @BeforeAll} methods, stopped after its {@code @AfterAll} methods. Its static fields of
 * type {@link SparkSession} and {@link JavaSparkContext} are set to the session and its context. Use it
 * through {@link SparkTest}.
 */
public final class SharedSpark implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedSpark.class);

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    SparkSession spark = TestSpark.start();
    context.getStore(NS).put(SparkSession.class, spark);
    JavaSparkContext jsc = TestSpark.jsc(spark);
    for (Class<?> c = context.getRequiredTestClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
          continue;
        }
        if (f.getType() == SparkSession.class) {
          f.setAccessible(true);
          f.set(null, spark);
        } else if (f.getType() == JavaSparkContext.class) {
          f.setAccessible(true);
          f.set(null, jsc);
        }
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestSpark.stop(context.getStore(NS).remove(SparkSession.class, SparkSession.class));
  }
}
