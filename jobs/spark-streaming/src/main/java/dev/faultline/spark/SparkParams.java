package dev.faultline.spark;

/**
 * The Spark job's parameters (docs/pipelines.md, "The Spark reference job"), each a FAULTLINE_PARAM_* variable.
 *
 * @param allowFail            a record whose id mod messagesPerFail == messagesPerFail - 1 throws (the batch fails,
 *                             the query stops, the job exits 1; the same batch fails again after a restart)
 * @param messagesPerFail      at least 1
 * @param delayMs              a slow external call of this many ms ...
 * @param messagesPerDelay     ... on records whose id mod messagesPerDelay == 0; 0 = never
 * @param triggerMs            the micro-batch trigger interval
 * @param maxOffsetsPerTrigger the most input records one micro-batch reads (0 = no limit): recovery's rate limit
 * @param windowMs             the tumbling event-time window of the windows query; 0 = no windows query
 * @param latenessMs           the watermark's delay behind the highest event time seen
 * @param stateSchema          1: the per-key state is {count: long}; 2: {count: decimal text, lastId: long}. Changing
 *                             it across a restart is an incompatible state schema change, which Spark refuses
 */
public record SparkParams(boolean allowFail, long messagesPerFail, long delayMs, long messagesPerDelay, long triggerMs,
        long maxOffsetsPerTrigger, long windowMs, long latenessMs, int stateSchema) implements java.io.Serializable {
    public static final long MAX_DELAY_MS = 60_000;
    public static final long MIN_TRIGGER_MS = 10;
    public static final long MAX_TRIGGER_MS = 600_000;
    public static final long MAX_WINDOW_MS = 86_400_000;

    public SparkParams {
        if (messagesPerFail < 1 || delayMs > MAX_DELAY_MS || triggerMs < MIN_TRIGGER_MS || triggerMs > MAX_TRIGGER_MS
                || windowMs > MAX_WINDOW_MS || latenessMs > MAX_WINDOW_MS || (stateSchema != 1 && stateSchema != 2)) {
            throw new IllegalArgumentException("parameters out of range: " + describe());
        }
    }

    public boolean failsOn(long id) {
        return allowFail && id % messagesPerFail == messagesPerFail - 1;
    }

    public boolean delaysOn(long id) {
        return messagesPerDelay > 0 && delayMs > 0 && id % messagesPerDelay == 0;
    }

    public String describe() {
        return "allowFail=" + (allowFail ? 1 : 0) + " messagesPerFail=" + messagesPerFail + " delayMs=" + delayMs
                + " messagesPerDelay=" + messagesPerDelay + " triggerMs=" + triggerMs + " maxOffsetsPerTrigger="
                + maxOffsetsPerTrigger + " windowMs=" + windowMs + " latenessMs=" + latenessMs + " stateSchema=" + stateSchema;
    }
}
