package dev.faultline.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The job's transform: a good record bumps its key's count and goes to the output sink as `<id>:<keyCount>`;
 * a record that does not parse goes to the dead-letter sink unchanged, with provenance headers. Both sinks are
 * part of the topology, so under exactly_once_v2 a dead letter commits in the same transaction as the offsets.
 */
final class CountProcessor implements Processor<String, String, String, String> {
    static final String HEADER_SOURCE_TOPIC = "faultline.source.topic";
    static final String HEADER_SOURCE_PARTITION = "faultline.source.partition";
    static final String HEADER_SOURCE_OFFSET = "faultline.source.offset";
    static final String HEADER_ERROR = "faultline.error";
    private static final String HEADER_PREFIX = "faultline.";

    private final JobParams params;
    private final Sleeper sleeper;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, Long> counts;

    CountProcessor(JobParams params, Sleeper sleeper) {
        this.params = params;
        this.sleeper = sleeper;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.counts = context.getStateStore(JobTopology.STORE);
    }

    @Override
    public void process(Record<String, String> record) {
        InputId parsed = InputId.parse(record.key(), record.value());
        if (!parsed.isValid()) {
            context.forward(record.withHeaders(deadLetterHeaders(record.headers(), parsed.error())), JobTopology.DLQ_SINK);
            return;
        }
        long id = parsed.id();
        if (params.delaysOn(id)) {
            sleeper.sleep(params.delayMs());
        }
        if (params.failsOn(id)) {
            throw new InjectedFailure(id, params.messagesPerFail());
        }
        Long previous = counts.get(record.key());
        long keyCount = (previous == null ? 0 : previous) + 1;
        counts.put(record.key(), keyCount);
        context.forward(record.withValue(id + ":" + keyCount), JobTopology.OUTPUT_SINK);
    }

    /** The input's headers (minus any faultline.* ones) plus the provenance of the record being processed. */
    private Headers deadLetterHeaders(Headers input, String error) {
        RecordMetadata source = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("a dead letter needs its source record's topic, partition and offset"));
        RecordHeaders headers = new RecordHeaders();
        for (Header header : input) {
            if (!header.key().startsWith(HEADER_PREFIX)) {
                headers.add(header);
            }
        }
        headers.add(HEADER_SOURCE_TOPIC, utf8(source.topic()));
        headers.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        headers.add(HEADER_ERROR, utf8(error));
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
