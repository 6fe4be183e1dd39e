package dev.faultline.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The job contract's environment (docs/pipelines.md, "The job contract"), read and checked before anything starts.
 *
 * @param jobVersion the FAULTLINE_JOB_VERSION label; "unversioned" when unset (it is only printed)
 */
public record JobConfig(
        String bootstrap,
        String inputTopic,
        String outputTopic,
        String dlqTopic,
        String appId,
        String stateDir,
        Guarantee guarantee,
        String jobVersion,
        JobParams params) {

    public static final String BOOTSTRAP = "FAULTLINE_BOOTSTRAP";
    public static final String INPUT_TOPIC = "FAULTLINE_INPUT_TOPIC";
    public static final String OUTPUT_TOPIC = "FAULTLINE_OUTPUT_TOPIC";
    public static final String DLQ_TOPIC = "FAULTLINE_DLQ_TOPIC";
    public static final String APP_ID = "FAULTLINE_APP_ID";
    public static final String STATE_DIR = "FAULTLINE_STATE_DIR";
    public static final String GUARANTEE = "FAULTLINE_GUARANTEE";
    public static final String JOB_VERSION = "FAULTLINE_JOB_VERSION";
    public static final String PARAM_PREFIX = "FAULTLINE_PARAM_";
    public static final String ALLOW_FAIL = PARAM_PREFIX + "ALLOW_FAIL";
    public static final String MESSAGES_PER_FAIL = PARAM_PREFIX + "MESSAGES_PER_FAIL";
    public static final String DELAY_MS = PARAM_PREFIX + "DELAY_MS";
    public static final String MESSAGES_PER_DELAY = PARAM_PREFIX + "MESSAGES_PER_DELAY";
    public static final String COMMIT_INTERVAL_MS = PARAM_PREFIX + "COMMIT_INTERVAL_MS";
    public static final String DEFAULT_JOB_VERSION = "unversioned";

    private static final Set<String> KNOWN_PARAMS = Set.of(ALLOW_FAIL, MESSAGES_PER_FAIL, DELAY_MS, MESSAGES_PER_DELAY, COMMIT_INTERVAL_MS);
    /** Kafka's legal topic (and application.id) characters; 249 is Kafka's topic name limit. */
    private static final Pattern KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s,]+:[0-9]{1,5}");
    /** Up to 18 digits always fits a long. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,18}");

    /** Reads the configuration from `env` (System.getenv() in the job); every problem names its variable. */
    public static JobConfig fromEnv(Map<String, String> env) throws ConfigError {
        List<String> missing = new ArrayList<>();
        for (String name : List.of(BOOTSTRAP, INPUT_TOPIC, OUTPUT_TOPIC, DLQ_TOPIC, APP_ID, STATE_DIR, GUARANTEE)) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigError("missing required environment variable(s): " + String.join(", ", missing));
        }
        String bootstrap = checkBootstrap(env.get(BOOTSTRAP));
        String input = kafkaName(INPUT_TOPIC, env.get(INPUT_TOPIC));
        String output = kafkaName(OUTPUT_TOPIC, env.get(OUTPUT_TOPIC));
        String dlq = kafkaName(DLQ_TOPIC, env.get(DLQ_TOPIC));
        if (input.equals(output) || input.equals(dlq) || output.equals(dlq)) {
            throw new ConfigError(INPUT_TOPIC + ", " + OUTPUT_TOPIC + " and " + DLQ_TOPIC + " must be three different topics, got '"
                    + input + "', '" + output + "', '" + dlq + "'");
        }
        String appId = kafkaName(APP_ID, env.get(APP_ID));
        Guarantee guarantee = Guarantee.fromLabel(GUARANTEE, env.get(GUARANTEE));
        String version = env.getOrDefault(JOB_VERSION, "").isBlank() ? DEFAULT_JOB_VERSION : env.get(JOB_VERSION).strip();
        return new JobConfig(bootstrap, input, output, dlq, appId, env.get(STATE_DIR), guarantee, version, params(env));
    }

    /** The FAULTLINE_PARAM_* variables; an unknown one is an error (a misspelt knob must not be ignored). */
    static JobParams params(Map<String, String> env) throws ConfigError {
        Set<String> unknown = new TreeSet<>();
        for (String name : env.keySet()) {
            if (name.startsWith(PARAM_PREFIX) && !KNOWN_PARAMS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigError("unknown parameter(s) " + String.join(", ", unknown) + "; this job takes "
                    + String.join(", ", new TreeSet<>(KNOWN_PARAMS)));
        }
        String allowFailText = env.getOrDefault(ALLOW_FAIL, "0").strip();
        if (!allowFailText.equals("0") && !allowFailText.equals("1")) {
            throw new ConfigError(ALLOW_FAIL + " must be 0 or 1, got '" + allowFailText + "'");
        }
        long perFail = wholeNumber(env, MESSAGES_PER_FAIL, JobParams.DEFAULT_MESSAGES_PER_FAIL);
        long delayMs = wholeNumber(env, DELAY_MS, JobParams.DEFAULT_DELAY_MS);
        long perDelay = wholeNumber(env, MESSAGES_PER_DELAY, JobParams.DEFAULT_MESSAGES_PER_DELAY);
        long commitMs = wholeNumber(env, COMMIT_INTERVAL_MS, JobParams.DEFAULT_COMMIT_INTERVAL_MS);
        if (commitMs < 1 || commitMs > JobParams.MAX_COMMIT_INTERVAL_MS) {
            throw new ConfigError(COMMIT_INTERVAL_MS + " must be in 1.." + JobParams.MAX_COMMIT_INTERVAL_MS + ", got " + commitMs);
        }
        if (perFail < 1) {
            throw new ConfigError(MESSAGES_PER_FAIL + " must be >= 1, got " + perFail);
        }
        if (delayMs > JobParams.MAX_DELAY_MS) {
            throw new ConfigError(DELAY_MS + " must be <= " + JobParams.MAX_DELAY_MS + ", got " + delayMs);
        }
        return new JobParams(allowFailText.equals("1"), perFail, delayMs, perDelay, commitMs);
    }

    private static long wholeNumber(Map<String, String> env, String name, long defaultValue) throws ConfigError {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        String trimmed = text.strip();
        if (!WHOLE_NUMBER.matcher(trimmed).matches()) {
            throw new ConfigError(name + " must be a whole number >= 0, got '" + text + "'");
        }
        return Long.parseLong(trimmed);
    }

    private static String kafkaName(String name, String text) throws ConfigError {
        String trimmed = text.strip();
        if (!KAFKA_NAME.matcher(trimmed).matches() || trimmed.equals(".") || trimmed.equals("..")) {
            throw new ConfigError(name + " must be 1-249 of [a-zA-Z0-9._-] (not '.' or '..'), got '" + text + "'");
        }
        return trimmed;
    }

    private static String checkBootstrap(String text) throws ConfigError {
        String trimmed = text.strip();
        for (String server : trimmed.split(",", -1)) {
            if (!HOST_PORT.matcher(server.strip()).matches()) {
                throw new ConfigError(BOOTSTRAP + " must be host:port[,host:port...], got '" + text + "'");
            }
        }
        return trimmed;
    }
}
