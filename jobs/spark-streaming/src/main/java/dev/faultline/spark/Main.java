package dev.faultline.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.util.ShutdownHookManager;
import scala.runtime.AbstractFunction0;
import scala.runtime.BoxedUnit;

/**
 * faultline's Spark Structured Streaming reference job (local mode, in this JVM). Exit codes: 0 after SIGTERM once
 * the queries stopped; 1 when a query failed (allowFail, a checkpoint it cannot read or write, an incompatible
 * state schema, a sink error) or the stop timed out; 2 for a bad environment. Standard output carries the banner,
 * `FAULTLINE-STATE` and `FAULTLINE-PROGRESS` lines; Spark's logging goes to standard error.
 */
public final class Main {
    static final String JOB_NAME = "faultline-spark-job";
    private static final int EXIT_OK = 0;
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;
    /** Bound on stopping the queries after SIGTERM (Spark's own default is to wait for ever). */
    static final long STOP_TIMEOUT_MS = 30_000;
    private static final PrintStream OUT = System.out;
    /** Above Spark's SPARK_CONTEXT_SHUTDOWN_PRIORITY (50): runs first. */
    private static final int SHUTDOWN_PRIORITY = 100;

    private final AtomicBoolean exiting = new AtomicBoolean(false);
    private final List<StreamingQuery> queries = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    private Main() {
    }

    public static void main(String[] args) {
        SparkJobConfig config;
        try {
            config = SparkJobConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(JOB_NAME + ": " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        System.exit(new Main().run(config));
    }

    private int run(SparkJobConfig config) {
        println(JOB_NAME + " " + version() + " (spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", java "
                + Runtime.version() + ") version=" + config.jobVersion() + " appId=" + config.appId() + " guarantee="
                + (config.exactlyOnce() ? "exactly-once" : "at-least-once") + " input=" + config.inputTopic() + " output="
                + config.outputTopic() + " dlq=" + config.dlqTopic() + " windows=" + (config.windowTopic() == null ? "-" : config.windowTopic())
                + " " + config.params().describe());
        // Through Spark's own hook manager, ahead of the hook that stops the SparkContext (priority 50): the queries
        // must stop (and the sinks close) while Spark still runs. A plain JVM hook would race with Spark's.
        ShutdownHookManager.addShutdownHook(SHUTDOWN_PRIORITY, new AbstractFunction0<BoxedUnit>() {
            @Override
            public BoxedUnit apply() {
                onShutdownSignal();
                return BoxedUnit.UNIT;
            }
        });
        try {
            SparkSession spark = session(config);
            spark.streams().addListener(new ProgressPrinter());
            Dataset<Row> input = Queries.input(spark, config);
            queries.add(Queries.records(input, config, closeables));
            if (config.params().windowMs() > 0) {
                queries.add(Queries.windows(input, config, closeables));
            }
            println("FAULTLINE-STATE RUNNING");
            spark.streams().awaitAnyTermination();
        } catch (StreamingQueryException e) {
            // The message carries the whole query plan: its first line and the root cause's say what failed.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return failed("a query failed: " + firstLine(e.getMessage()) + "; cause: " + root.getClass().getName() + ": " + firstLine(root.getMessage()));
        } catch (Exception e) {
            return failed("cannot start: " + e);
        }
        return exiting.get() ? EXIT_OK : failed("a query stopped");
    }

    private int failed(String why) {
        if (!exiting.compareAndSet(false, true)) {
            sleepMs(2 * STOP_TIMEOUT_MS); // SIGTERM came first: the hook stops everything and halts the JVM
            return EXIT_FAILED;
        }
        System.err.println(JOB_NAME + ": " + why);
        stopAll();
        println(JOB_NAME + ": stopped after a failure, exit " + EXIT_FAILED);
        return EXIT_FAILED;
    }

    private static SparkSession session(SparkJobConfig config) {
        return SparkSession.builder().appName(JOB_NAME + "-" + config.appId()).master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.local.dir", "spark-tmp") // scratch (shuffle blocks) in the job's working directory, off the checkpoint storage
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.streaming.stopTimeout", Long.toString(STOP_TIMEOUT_MS))
                .getOrCreate();
    }

    /** SIGTERM (or SIGINT): stop the queries within STOP_TIMEOUT_MS each, close the sinks, halt with 0. */
    private void onShutdownSignal() {
        if (!exiting.compareAndSet(false, true)) {
            return;
        }
        println(JOB_NAME + ": shutdown signal, stopping the queries");
        boolean clean = stopAll();
        int code = clean ? EXIT_OK : EXIT_FAILED;
        println(JOB_NAME + ": " + (clean ? "stopped" : "stop timed out") + ", exit " + code);
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    private boolean stopAll() {
        boolean clean = true;
        for (StreamingQuery query : new ArrayList<>(queries)) {
            try {
                query.stop();
            } catch (Exception e) {
                clean = false;
                System.err.println(JOB_NAME + ": stopping query " + query.name() + ": " + e);
            }
        }
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println(JOB_NAME + ": closing a sink: " + e);
            }
        }
        return clean;
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void println(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }
}
