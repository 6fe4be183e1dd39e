package dev.faultline.streams;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/** FAULTLINE_GUARANTEE values and the processing.guarantee each maps to. */
public enum Guarantee {
    AT_LEAST_ONCE("at-least-once", StreamsConfig.AT_LEAST_ONCE),
    EXACTLY_ONCE("exactly-once", StreamsConfig.EXACTLY_ONCE_V2);

    private final String label;
    private final String processingGuarantee;

    Guarantee(String label, String processingGuarantee) {
        this.label = label;
        this.processingGuarantee = processingGuarantee;
    }

    /** The contract's spelling: `at-least-once` or `exactly-once`. */
    public String label() {
        return label;
    }

    /** The Kafka Streams processing.guarantee value. */
    public String processingGuarantee() {
        return processingGuarantee;
    }

    public static Guarantee fromLabel(String name, String text) throws ConfigError {
        for (Guarantee g : values()) {
            if (g.label.equals(text)) {
                return g;
            }
        }
        String allowed = Arrays.stream(values()).map(Guarantee::label).collect(Collectors.joining(" or "));
        throw new ConfigError(name + " must be " + allowed + ", got '" + text + "'");
    }
}
