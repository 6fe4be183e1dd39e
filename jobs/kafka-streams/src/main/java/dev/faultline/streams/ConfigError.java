package dev.faultline.streams;

/** A missing or invalid FAULTLINE_* environment variable: the job exits 2 with this message. */
public final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigError(String message) {
        super(message);
    }
}
