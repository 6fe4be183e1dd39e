package dev.faultline.streams;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * input -> count (persistent per-key store, changelog `<appId>-key-counts-changelog`) -> output sink | dead-letter sink.
 * Keys and values are UTF-8 strings throughout (String serdes never fail to deserialize).
 */
public final class JobTopology {
    static final String SOURCE = "input";
    static final String PROCESSOR = "count";
    static final String OUTPUT_SINK = "output";
    static final String DLQ_SINK = "dead-letter";
    /** The per-key count store; its changelog topic is `<application.id>-key-counts-changelog`. */
    public static final String STORE = "key-counts";

    private JobTopology() {
    }

    public static Topology build(JobConfig config, Sleeper sleeper) {
        StoreBuilder<KeyValueStore<String, Long>> store = Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long())
                .withLoggingEnabled(Map.of())
                .withCachingDisabled();
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.String().deserializer(), config.inputTopic());
        topology.addProcessor(PROCESSOR, () -> new CountProcessor(config.params(), sleeper), SOURCE);
        topology.addStateStore(store, PROCESSOR);
        topology.addSink(OUTPUT_SINK, config.outputTopic(), Serdes.String().serializer(), Serdes.String().serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, config.dlqTopic(), Serdes.String().serializer(), Serdes.String().serializer(), PROCESSOR);
        return topology;
    }
}
