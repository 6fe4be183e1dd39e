package dev.faultline.streams;

/**
 * The reference job's parameters (docs/pipelines.md, "Parameters of the reference job").
 *
 * @param allowFail        throw on records whose id mod messagesPerFail == messagesPerFail - 1
 * @param messagesPerFail  at least 1
 * @param delayMs          sleep this long ...
 * @param messagesPerDelay ... on records whose id mod messagesPerDelay == 0; 0 = never
 * @param commitIntervalMs Kafka Streams' commit.interval.ms: how much processed input a crash may replay under
 *                         at_least_once (Kafka Streams' own default there is 30000; ours is short, for tests)
 */
public record JobParams(boolean allowFail, long messagesPerFail, long delayMs, long messagesPerDelay, long commitIntervalMs) {
    public static final long DEFAULT_MESSAGES_PER_FAIL = 10;
    public static final long DEFAULT_DELAY_MS = 0;
    public static final long DEFAULT_MESSAGES_PER_DELAY = 0;
    /** Upper bound of delayMs: a slow call, not a stuck one (the poll loop must keep up with max.poll.interval.ms). */
    public static final long MAX_DELAY_MS = 60_000;
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;
    /** Two commit intervals must fit the brokers' transaction.max.timeout.ms (900000 by default). */
    public static final long MAX_COMMIT_INTERVAL_MS = 300_000;

    public static final JobParams DEFAULTS =
            new JobParams(false, DEFAULT_MESSAGES_PER_FAIL, DEFAULT_DELAY_MS, DEFAULT_MESSAGES_PER_DELAY);

    /** The parameters with the default commit interval. */
    public JobParams(boolean allowFail, long messagesPerFail, long delayMs, long messagesPerDelay) {
        this(allowFail, messagesPerFail, delayMs, messagesPerDelay, DEFAULT_COMMIT_INTERVAL_MS);
    }

    public JobParams {
        if (messagesPerFail < 1) {
            throw new IllegalArgumentException("messagesPerFail must be >= 1, got " + messagesPerFail);
        }
        if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException("delayMs must be in 0.." + MAX_DELAY_MS + ", got " + delayMs);
        }
        if (commitIntervalMs < 1 || commitIntervalMs > MAX_COMMIT_INTERVAL_MS) {
            throw new IllegalArgumentException("commitIntervalMs must be in 1.." + MAX_COMMIT_INTERVAL_MS + ", got " + commitIntervalMs);
        }
        if (messagesPerDelay < 0) {
            throw new IllegalArgumentException("messagesPerDelay must be >= 0, got " + messagesPerDelay);
        }
    }

    /** Whether processing the record with this id must throw (the seed's logic error). */
    public boolean failsOn(long id) {
        return allowFail && id % messagesPerFail == messagesPerFail - 1;
    }

    /** Whether processing the record with this id makes the slow external call. */
    public boolean delaysOn(long id) {
        return messagesPerDelay > 0 && delayMs > 0 && id % messagesPerDelay == 0;
    }

    /** One line for the banner: `allowFail=0 messagesPerFail=10 delayMs=0 messagesPerDelay=0`. */
    public String describe() {
        return "allowFail=" + (allowFail ? 1 : 0) + " messagesPerFail=" + messagesPerFail
                + " delayMs=" + delayMs + " messagesPerDelay=" + messagesPerDelay + " commitIntervalMs=" + commitIntervalMs;
    }
}
