package dev.faultline.streams;

/** The slow external call of `delayMs`; tests record the calls instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(long delayMs);

    /** Thread.sleep; an interrupt ends the sleep early and stays set for Kafka Streams to see. */
    Sleeper REAL = delayMs -> {
        try {
            Thread.sleep(delayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };
}
