package dev.faultline.spark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;

/**
 * The exactly-once sink (foreachBatch): a micro-batch's rows go out in one Kafka transaction, each with a header
 * `faultline.batch` = `<query id>:<batch id>`. Spark replays the last batch after a crash with the same id and the
 * same rows; a batch whose id is not above the highest one already committed by the same query is skipped, so a
 * replay writes nothing twice. The query id is the one Spark keeps in the checkpoint: a lost checkpoint starts a new
 * query whose batch ids start again at 0, and its batches must not be mistaken for replays (a sink keyed by the
 * batch id alone skips them: data loss, found by scenario spark-02). The highest committed id is read back from the
 * sink topics' tails (read_committed) when the sink starts, and a stable transactional id fences an older
 * incarnation of the job. The batch is collected on the driver: bound
 * its size with maxOffsetsPerTrigger.
 */
final class TransactionalSink implements AutoCloseable {
    static final String BATCH_HEADER = "faultline.batch";
    /** Offsets read back per partition to find the last committed batch (a batch's last record and its marker). */
    private static final long TAIL_OFFSETS = 1000;
    private static final Duration POLL = Duration.ofMillis(500);
    /** Bound on the read-back at start. */
    private static final long READ_BACK_LIMIT_MS = 60_000;

    private final String bootstrap;
    private final String transactionalId;
    private final List<String> topics;
    private KafkaProducer<String, String> producer;
    private long lastCommittedBatch = -1;

    TransactionalSink(String bootstrap, String transactionalId, List<String> topics) {
        this.bootstrap = bootstrap;
        this.transactionalId = transactionalId;
        this.topics = topics;
    }

    /** Writes one batch's rows (topic, key, value, headers) unless this query committed this batch or a later one. */
    synchronized void write(String queryId, long batchId, List<Row> rows) {
        if (queryId == null || queryId.isEmpty()) {
            throw new IllegalStateException("no streaming query id on the batch's thread: cannot tell a replay from a new batch");
        }
        if (producer == null) {
            start(queryId);
        }
        if (batchId <= lastCommittedBatch) {
            Main.println("FAULTLINE-SINK skip batch=" + batchId + " lastCommitted=" + lastCommittedBatch);
            return;
        }
        byte[] batch = (queryId + ":" + batchId).getBytes(StandardCharsets.UTF_8);
        producer.beginTransaction();
        for (Row row : rows) {
            ProducerRecord<String, String> record = new ProducerRecord<>(row.getString(0), row.getString(1), row.getString(2));
            if (row.size() > 3 && !row.isNullAt(3)) {
                for (Row header : row.<Row>getList(3)) {
                    record.headers().add(header.getString(0), (byte[]) header.get(1));
                }
            }
            record.headers().add(BATCH_HEADER, batch);
            producer.send(record);
        }
        producer.commitTransaction();
        lastCommittedBatch = batchId;
    }

    private void start(String queryId) {
        lastCommittedBatch = readLastCommittedBatch(queryId);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("transactional.id", transactionalId);
        props.put("transaction.timeout.ms", "30000");
        props.put("delivery.timeout.ms", "60000");
        props.put("request.timeout.ms", "10000");
        props.put("max.block.ms", "60000");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        Main.println("FAULTLINE-SINK started transactionalId=" + transactionalId + " query=" + queryId + " lastCommitted=" + lastCommittedBatch);
    }

    /** The highest batch id this query committed, from the `faultline.batch` headers of the sink topics' tails; -1 if none. */
    private long readLastCommittedBatch(String queryId) {
        String prefix = queryId + ":";
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        long highest = -1;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofMillis(READ_BACK_LIMIT_MS))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, Math.max(begins.get(tp), ends.get(tp) - TAIL_OFFSETS));
            }
            long deadline = System.currentTimeMillis() + READ_BACK_LIMIT_MS;
            while (!partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("cannot read the sink topics' tails within " + READ_BACK_LIMIT_MS + " ms");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    Header header = record.headers().lastHeader(BATCH_HEADER);
                    String tag = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
                    if (tag.startsWith(prefix)) {
                        highest = Math.max(highest, Long.parseLong(tag.substring(prefix.length())));
                    }
                }
            }
        }
        return highest;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}
