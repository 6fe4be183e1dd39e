package dev.faultline.streams;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * faultline's reference job. Exit codes: 0 after a graceful close on SIGTERM; 1 when processing failed (allowFail,
 * a task timeout, any error that stops Kafka Streams) or a SIGTERM close timed out; 2 for a bad environment.
 * Standard output carries the banner and `FAULTLINE-STATE <STATE>` lines; logging goes to standard error.
 */
public final class Main {
    public static final String JOB_NAME = "faultline-streams-job";
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final PrintStream OUT = System.out;

    /** Set once: by the shutdown hook (SIGTERM) or by the main thread exiting after a failure. */
    private final AtomicBoolean exiting = new AtomicBoolean(false);
    private final AtomicBoolean failed = new AtomicBoolean(false);
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Set (under this object's lock) just before start(); null until then. */
    private KafkaStreams streams;
    /** Counted down once `FAULTLINE-STATE NOT_RUNNING` is printed: the listener runs after close() has returned. */
    private final CountDownLatch notRunningReported = new CountDownLatch(1);
    /** How long the shutdown hook waits for that line before it halts the JVM. */
    private static final long STATE_REPORT_WAIT_MS = 2_000;

    private Main() {
    }

    public static void main(String[] args) {
        JobConfig config;
        try {
            config = JobConfig.fromEnv(System.getenv());
        } catch (ConfigError e) {
            System.err.println(JOB_NAME + ": " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        System.exit(new Main().run(config));
    }

    static String banner(JobConfig config) {
        return JOB_NAME + " " + jobBuildVersion() + " (kafka-streams " + AppInfoParser.getVersion()
                + ", java " + Runtime.version() + ") version=" + config.jobVersion() + " appId=" + config.appId()
                + " guarantee=" + config.guarantee().label() + " input=" + config.inputTopic() + " output="
                + config.outputTopic() + " dlq=" + config.dlqTopic() + " " + config.params().describe();
    }

    private static String jobBuildVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private int run(JobConfig config) {
        println(banner(config));
        // Registered before Kafka Streams exists, so an early SIGTERM still exits 0 rather than the JVM's 143.
        Runtime.getRuntime().addShutdownHook(new Thread(this::onShutdownSignal, JOB_NAME + "-shutdown"));
        KafkaStreams created;
        try {
            created = new KafkaStreams(JobTopology.build(config, Sleeper.REAL), StreamsSettings.properties(config));
        } catch (RuntimeException e) {
            LOG.error("cannot create Kafka Streams (exit {})", EXIT_FAILED, e);
            exiting.set(true);
            return EXIT_FAILED;
        }
        KafkaStreams streams = created;
        streams.setStateListener((newState, oldState) -> {
            println("FAULTLINE-STATE " + newState.name());
            if (newState == KafkaStreams.State.NOT_RUNNING) {
                notRunningReported.countDown();
            }
            if (newState == KafkaStreams.State.ERROR || (newState == KafkaStreams.State.NOT_RUNNING && failed.get())) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(exception -> {
            failed.set(true);
            LOG.error("processing failed; shutting the job down (exit {})", EXIT_FAILED, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        synchronized (this) {
            if (exiting.get()) {
                return EXIT_OK; // signalled while Kafka Streams was being created: the hook is halting the JVM
            }
            this.streams = streams;
            streams.start();
        }
        awaitStop();
        if (!exiting.compareAndSet(false, true)) {
            // SIGTERM arrived first: the shutdown hook closes Kafka Streams and halts the JVM; this only bounds the wait.
            sleepMs(2 * StreamsSettings.CLOSE_TIMEOUT_MS);
            return EXIT_FAILED;
        }
        close(streams);
        println(JOB_NAME + ": stopped after a processing failure, exit " + EXIT_FAILED);
        return EXIT_FAILED;
    }

    /** SIGTERM (or SIGINT): close gracefully within CLOSE_TIMEOUT_MS, then halt with 0 (1 if the close timed out). */
    private void onShutdownSignal() {
        KafkaStreams current;
        synchronized (this) {
            if (!exiting.compareAndSet(false, true)) {
                return; // the main thread is exiting after a failure with its own code
            }
            current = streams;
        }
        if (current == null) {
            println(JOB_NAME + ": shutdown signal before Kafka Streams started, exit " + EXIT_OK);
            Runtime.getRuntime().halt(EXIT_OK);
        }
        println(JOB_NAME + ": shutdown signal, closing Kafka Streams (timeout " + StreamsSettings.CLOSE_TIMEOUT_MS + " ms)");
        boolean closed = close(current);
        if (closed) {
            awaitMs(notRunningReported, STATE_REPORT_WAIT_MS);
        }
        int code = closed && !failed.get() ? EXIT_OK : EXIT_FAILED;
        println(JOB_NAME + ": " + (closed ? "closed" : "close timed out") + ", exit " + code);
        System.err.flush();
        // halt: a JVM ended by a signal would otherwise exit 143 whatever the hooks did.
        Runtime.getRuntime().halt(code);
    }

    private static boolean close(KafkaStreams streams) {
        CloseOptions options = CloseOptions
                .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofMillis(StreamsSettings.CLOSE_TIMEOUT_MS));
        return streams.close(options);
    }

    /** Until Kafka Streams stops on its own after a failure; a healthy job runs until it is signalled. */
    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitMs(CountDownLatch latch, long ms) {
        try {
            latch.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void println(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }
}
