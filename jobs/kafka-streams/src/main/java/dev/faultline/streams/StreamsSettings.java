package dev.faultline.streams;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration of the job. Every limit is a named constant; docs/pipelines.md lists them.
 * Timeouts are bounded and short enough for fault tests: a job cut off from the brokers logs the timeouts,
 * retries, and (past TASK_TIMEOUT_MS without progress) fails with exit code 1 rather than hang silently.
 */
public final class StreamsSettings {
    /** A killed job's group membership expires after 10 s (broker minimum 6 s), so its replacement gets the partitions soon. */
    public static final int SESSION_TIMEOUT_MS = 10_000;
    public static final int HEARTBEAT_INTERVAL_MS = 3_000;
    /** Each request to a broker (consumer, producer, admin) gives up after 10 s and is retried. */
    public static final int REQUEST_TIMEOUT_MS = 10_000;
    /** Bound of the consumer's and admin client's blocking calls (committed offsets, positions, topic metadata). */
    public static final int DEFAULT_API_TIMEOUT_MS = 30_000;
    /** Bound of the producer's blocking calls (metadata on send, initTransactions, commitTransaction). */
    public static final long MAX_BLOCK_MS = 30_000;
    /** A record not acknowledged within 30 s fails its send (must be >= linger.ms + request.timeout.ms). */
    public static final int DELIVERY_TIMEOUT_MS = 30_000;
    /** A task that makes no progress for 2 min (e.g. partitioned from the brokers) fails the job instead of retrying forever. */
    public static final long TASK_TIMEOUT_MS = 120_000;
    /** exactly_once_v2: an open transaction of a dead job is aborted by the broker after 10 s (Kafka Streams' default) ... */
    public static final int MIN_TRANSACTION_TIMEOUT_MS = 10_000;
    /** ... or after this many delays, when delayMs is long: a transaction must outlive one slow call. */
    public static final int TRANSACTION_TIMEOUT_DELAYS = 3;
    /** ... and a transaction must outlive this many commit intervals (Kafka Streams requires at least one). */
    public static final int TRANSACTION_TIMEOUT_COMMITS = 2;
    /** SIGTERM: how long a graceful close may take before the job gives up and exits 1. */
    public static final long CLOSE_TIMEOUT_MS = 30_000;

    private StreamsSettings() {
    }

    public static Properties properties(JobConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.appId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.guarantee().processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.params().commitIntervalMs());
        props.put(StreamsConfig.TASK_TIMEOUT_MS_CONFIG, TASK_TIMEOUT_MS);
        props.put(StreamsConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        // No global stores here: opting in to the Kafka 5.0 default keeps Kafka Streams' warning about it out of the log.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // A new application.id (job-cancel-recreate) reads the input from the beginning, as the seed's new job did.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), HEARTBEAT_INTERVAL_MS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG), DEFAULT_API_TIMEOUT_MS);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_BLOCK_MS_CONFIG), MAX_BLOCK_MS);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), DELIVERY_TIMEOUT_MS);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), transactionTimeoutMs(config.params()));
        return props;
    }

    /**
     * max(MIN_TRANSACTION_TIMEOUT_MS, TRANSACTION_TIMEOUT_DELAYS × delayMs, TRANSACTION_TIMEOUT_COMMITS × commitIntervalMs):
     * a transaction stays open for a commit interval (Kafka Streams refuses a timeout below it) and must outlive slow calls.
     * delayMs is at most JobParams.MAX_DELAY_MS, commitIntervalMs at most JobParams.MAX_COMMIT_INTERVAL_MS.
     */
    static int transactionTimeoutMs(JobParams params) {
        long delaysMs = params.messagesPerDelay() > 0 ? TRANSACTION_TIMEOUT_DELAYS * params.delayMs() : 0;
        long commitsMs = TRANSACTION_TIMEOUT_COMMITS * params.commitIntervalMs();
        return (int) Math.max(MIN_TRANSACTION_TIMEOUT_MS, Math.max(delaysMs, commitsMs));
    }
}
