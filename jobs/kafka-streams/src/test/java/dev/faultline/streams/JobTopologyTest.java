package dev.faultline.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class JobTopologyTest {
    private static final String INPUT = "pipeline-in";
    private static final String OUTPUT = "pipeline-out";
    private static final String DLQ = "pipeline-dlq";

    @TempDir
    Path stateDir;

    private JobConfig config(Guarantee guarantee, JobParams params) {
        return new JobConfig("127.0.0.1:9092", INPUT, OUTPUT, DLQ, "topology-test", stateDir.toString(), guarantee, "v1", params);
    }

    /** Runs `body` against a driver for the job's topology with `params`; the sleeper records instead of sleeping. */
    private void withDriver(Guarantee guarantee, JobParams params, Sleeper sleeper, DriverBody body) {
        JobConfig config = config(guarantee, params);
        Properties props = StreamsSettings.properties(config);
        try (TopologyTestDriver driver = new TopologyTestDriver(JobTopology.build(config, sleeper), props)) {
            body.run(new Topics(driver));
        }
    }

    @FunctionalInterface
    private interface DriverBody {
        void run(Topics topics);
    }

    private static final class Topics {
        final TopologyTestDriver driver;
        final TestInputTopic<String, String> input;
        final TestOutputTopic<String, String> output;
        final TestOutputTopic<String, String> dlq;

        Topics(TopologyTestDriver driver) {
            this.driver = driver;
            input = driver.createInputTopic(INPUT, Serdes.String().serializer(), Serdes.String().serializer());
            output = driver.createOutputTopic(OUTPUT, Serdes.String().deserializer(), Serdes.String().deserializer());
            dlq = driver.createOutputTopic(DLQ, Serdes.String().deserializer(), Serdes.String().deserializer());
        }

        KeyValueStore<String, Long> counts() {
            return driver.getKeyValueStore(JobTopology.STORE);
        }
    }

    private static String header(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Guarantee.class)
    void goodRecordsAreCountedPerKey(Guarantee guarantee) {
        withDriver(guarantee, JobParams.DEFAULTS, Sleeper.REAL, t -> {
            t.input.pipeInput("k0", "0", 1_000L);
            t.input.pipeInput("k1", "1", 1_001L);
            t.input.pipeInput("k0", "2", 1_002L);
            t.input.pipeInput("k0", "4", 1_003L);
            List<TestRecord<String, String>> out = t.output.readRecordsToList();
            assertEquals(List.of("k0=0:1", "k1=1:1", "k0=2:2", "k0=4:3"), out.stream().map(r -> r.key() + "=" + r.value()).toList());
            assertEquals(1_002L, out.get(2).timestamp(), "the output keeps the input's event time");
            assertEquals(3L, t.counts().get("k0"));
            assertEquals(1L, t.counts().get("k1"));
            assertTrue(t.dlq.isEmpty());
        });
    }

    @ParameterizedTest
    @EnumSource(Guarantee.class)
    void poisonGoesToTheDeadLetterTopicUnchangedWithProvenance(Guarantee guarantee) {
        withDriver(guarantee, JobParams.DEFAULTS, Sleeper.REAL, t -> {
            RecordHeaders inputHeaders = new RecordHeaders();
            inputHeaders.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
            inputHeaders.add(CountProcessor.HEADER_ERROR, "forged".getBytes(StandardCharsets.UTF_8));
            t.input.pipeInput("k0", "0");
            t.input.pipeInput("k1", "1");
            t.input.pipeInput(new TestRecord<>("k1", "!17", inputHeaders, 5_000L));
            t.input.pipeInput("k1", "3");
            t.input.pipeInput("k2", (String) null);

            List<TestRecord<String, String>> dead = t.dlq.readRecordsToList();
            assertEquals(2, dead.size());
            TestRecord<String, String> poison = dead.get(0);
            assertEquals("k1", poison.key());
            assertEquals("!17", poison.value());
            assertEquals(5_000L, poison.timestamp());
            assertEquals(INPUT, header(poison.headers(), CountProcessor.HEADER_SOURCE_TOPIC));
            assertEquals("0", header(poison.headers(), CountProcessor.HEADER_SOURCE_PARTITION));
            assertEquals("2", header(poison.headers(), CountProcessor.HEADER_SOURCE_OFFSET));
            assertEquals("value '!17' is not a non-negative decimal id", header(poison.headers(), CountProcessor.HEADER_ERROR));
            assertEquals(1, poison.headers().toArray().length - 4, "the input's own headers are kept, a forged faultline.* one is not");
            assertEquals("abc", header(poison.headers(), "trace"));

            assertNull(dead.get(1).value());
            assertEquals("4", header(dead.get(1).headers(), CountProcessor.HEADER_SOURCE_OFFSET));

            assertEquals(List.of("0:1", "1:1", "3:2"), t.output.readValuesToList(), "poison does not count");
            assertNull(t.counts().get("k2"));
        });
    }

    @Test
    void allowFailThrowsExactlyOnIdsEndingTheBlockOfMessagesPerFail() {
        JobParams params = new JobParams(true, 10, 0, 0);
        withDriver(Guarantee.AT_LEAST_ONCE, params, Sleeper.REAL, t -> {
            List<Long> threw = new ArrayList<>();
            for (long id = 0; id < 30; id++) {
                try {
                    t.input.pipeInput("k" + (id % 3), Long.toString(id));
                } catch (StreamsException e) {
                    InjectedFailure cause = assertInstanceOf(InjectedFailure.class, e.getCause());
                    assertEquals(id, cause.id());
                    threw.add(id);
                }
            }
            assertEquals(List.of(9L, 19L, 29L), threw);
            List<String> out = t.output.readValuesToList();
            assertEquals(27, out.size());
            assertTrue(out.stream().noneMatch(v -> v.startsWith("9:") || v.startsWith("19:") || v.startsWith("29:")));
            assertEquals(9L, t.counts().get("k0"), "a failed record does not count");
        });
    }

    @Test
    void allowFailWithOneMessagePerFailThrowsOnEveryRecordButNotOnPoison() {
        withDriver(Guarantee.EXACTLY_ONCE, new JobParams(true, 1, 0, 0), Sleeper.REAL, t -> {
            StreamsException e = assertThrows(StreamsException.class, () -> t.input.pipeInput("k0", "0"));
            assertInstanceOf(InjectedFailure.class, e.getCause());
            t.input.pipeInput("k0", "!1");
            assertEquals(1, t.dlq.getQueueSize());
        });
    }

    @Test
    void noFailureWhenAllowFailIsOff() {
        withDriver(Guarantee.AT_LEAST_ONCE, new JobParams(false, 10, 0, 0), Sleeper.REAL, t -> {
            for (long id = 0; id < 20; id++) {
                t.input.pipeInput("k0", Long.toString(id));
            }
            assertEquals(20, t.output.getQueueSize());
        });
    }

    @Test
    void delayTriggersOnIdsDivisibleByMessagesPerDelay() {
        List<Long> sleptMs = new ArrayList<>();
        List<Long> sleptOnCount = new ArrayList<>();
        withDriver(Guarantee.AT_LEAST_ONCE, new JobParams(false, 10, 7, 5), ms -> sleptMs.add(ms), t -> {
            for (long id = 0; id < 16; id++) {
                int before = sleptMs.size();
                t.input.pipeInput("k0", Long.toString(id));
                if (sleptMs.size() > before) {
                    sleptOnCount.add(id);
                }
            }
            t.input.pipeInput("k0", "!20");
            assertEquals(16, t.output.getQueueSize());
        });
        assertEquals(List.of(0L, 5L, 10L, 15L), sleptOnCount);
        assertEquals(List.of(7L, 7L, 7L, 7L), sleptMs);
    }

    @Test
    void noDelayWhenMessagesPerDelayIsZero() {
        List<Long> sleptMs = new ArrayList<>();
        withDriver(Guarantee.AT_LEAST_ONCE, new JobParams(false, 10, 7, 0), ms -> sleptMs.add(ms), t -> {
            for (long id = 0; id < 10; id++) {
                t.input.pipeInput("k0", Long.toString(id));
            }
        });
        assertTrue(sleptMs.isEmpty());
    }

    @Test
    void realSleeperSleepsForDelayMs() {
        long startNs = System.nanoTime();
        withDriver(Guarantee.AT_LEAST_ONCE, new JobParams(false, 10, 50, 2), Sleeper.REAL, t -> {
            t.input.pipeInput("k0", "1");
            assertNotNull(t.output.readValue());
            long afterOddMs = (System.nanoTime() - startNs) / 1_000_000;
            t.input.pipeInput("k0", "2");
            long afterEvenMs = (System.nanoTime() - startNs) / 1_000_000;
            assertTrue(afterEvenMs - afterOddMs >= 50, "id 2 slept 50 ms: " + (afterEvenMs - afterOddMs));
        });
    }

    @Test
    void exactlyOnceMapsToExactlyOnceV2() {
        Properties props = StreamsSettings.properties(config(Guarantee.EXACTLY_ONCE, JobParams.DEFAULTS));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(stateDir.toString(), props.get(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals("topology-test", props.get(StreamsConfig.APPLICATION_ID_CONFIG));
        Properties alo = StreamsSettings.properties(config(Guarantee.AT_LEAST_ONCE, JobParams.DEFAULTS));
        assertEquals(StreamsConfig.AT_LEAST_ONCE, alo.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Test
    void transactionTimeoutOutlivesLongDelays() {
        assertEquals(10_000, StreamsSettings.transactionTimeoutMs(new JobParams(false, 10, 1_000, 5)));
        assertEquals(60_000, StreamsSettings.transactionTimeoutMs(new JobParams(false, 10, 20_000, 5)));
        assertEquals(10_000, StreamsSettings.transactionTimeoutMs(new JobParams(false, 10, 20_000, 0)));
        assertEquals(60_000, StreamsSettings.transactionTimeoutMs(new JobParams(false, 10, 0, 0, 30_000)));
    }
}
