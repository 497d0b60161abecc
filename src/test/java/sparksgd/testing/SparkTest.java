package sparksgd.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that shares one local Spark session ({@link SharedSpark} sets its static
 * {@code SparkSession} / {@code JavaSparkContext} fields). Tagged {@code slow}: starting Spark alone
 * takes seconds, so {@code mvn -o -B test -DexcludedGroups=slow} leaves these classes out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
@ExtendWith(SharedSpark.class)
public @interface SparkTest {}
