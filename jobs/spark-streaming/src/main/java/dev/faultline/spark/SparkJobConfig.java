package dev.faultline.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The job contract's environment (docs/pipelines.md, "The job contract") as this job reads it, checked before
 * Spark starts; every problem names its variable. FAULTLINE_WINDOW_TOPIC is required when windowMs > 0.
 */
public record SparkJobConfig(String bootstrap, String inputTopic, String outputTopic, String dlqTopic, String windowTopic,
        String appId, String stateDir, boolean exactlyOnce, String jobVersion, SparkParams params) {

    static final String PARAM = "FAULTLINE_PARAM_";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern SERVERS = Pattern.compile("[^\\s,:]+:[0-9]{1,5}(,[^\\s,:]+:[0-9]{1,5})*");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    /** Parameter (UPPER_SNAKE after FAULTLINE_PARAM_) -> default. */
    private static final Map<String, Long> DEFAULTS = new TreeMap<>(Map.of(
            "ALLOW_FAIL", 0L, "MESSAGES_PER_FAIL", 10L, "DELAY_MS", 0L, "MESSAGES_PER_DELAY", 0L, "TRIGGER_MS", 500L,
            "MAX_OFFSETS_PER_TRIGGER", 0L, "WINDOW_MS", 0L, "LATENESS_MS", 10_000L, "STATE_SCHEMA", 1L));

    public static SparkJobConfig fromEnv(Map<String, String> env) throws IllegalArgumentException {
        List<String> problems = new ArrayList<>();
        String bootstrap = required(env, "FAULTLINE_BOOTSTRAP", SERVERS, problems);
        String input = required(env, "FAULTLINE_INPUT_TOPIC", NAME, problems);
        String output = required(env, "FAULTLINE_OUTPUT_TOPIC", NAME, problems);
        String dlq = required(env, "FAULTLINE_DLQ_TOPIC", NAME, problems);
        String appId = required(env, "FAULTLINE_APP_ID", NAME, problems);
        String stateDir = required(env, "FAULTLINE_STATE_DIR", Pattern.compile("/.+"), problems);
        String guarantee = required(env, "FAULTLINE_GUARANTEE", Pattern.compile("at-least-once|exactly-once"), problems);
        Map<String, Long> values = params(env, problems);
        String windowTopic = env.getOrDefault("FAULTLINE_WINDOW_TOPIC", "").strip();
        if (values.getOrDefault("WINDOW_MS", 0L) > 0 && !NAME.matcher(windowTopic).matches()) {
            problems.add("FAULTLINE_WINDOW_TOPIC: a topic name is required when FAULTLINE_PARAM_WINDOW_MS > 0");
        }
        if (values.getOrDefault("ALLOW_FAIL", 0L) > 1) {
            problems.add(PARAM + "ALLOW_FAIL: must be 0 or 1");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        SparkParams params;
        try {
            params = new SparkParams(values.get("ALLOW_FAIL") == 1, values.get("MESSAGES_PER_FAIL"), values.get("DELAY_MS"),
                    values.get("MESSAGES_PER_DELAY"), values.get("TRIGGER_MS"), values.get("MAX_OFFSETS_PER_TRIGGER"),
                    values.get("WINDOW_MS"), values.get("LATENESS_MS"), values.get("STATE_SCHEMA").intValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PARAM + "*: " + e.getMessage(), e);
        }
        String version = env.getOrDefault("FAULTLINE_JOB_VERSION", "").isBlank() ? "unversioned" : env.get("FAULTLINE_JOB_VERSION").strip();
        return new SparkJobConfig(bootstrap, input, output, dlq, windowTopic.isEmpty() ? null : windowTopic, appId, stateDir,
                guarantee.equals("exactly-once"), version, params);
    }

    private static String required(Map<String, String> env, String name, Pattern shape, List<String> problems) {
        String value = env.getOrDefault(name, "").strip();
        if (value.isEmpty()) {
            problems.add(name + ": required");
        } else if (!shape.matcher(value).matches()) {
            problems.add(name + ": not a valid value, got '" + value + "'");
        }
        return value;
    }

    /** The FAULTLINE_PARAM_* values over their defaults; an unknown parameter is a problem (a misspelt knob). */
    private static Map<String, Long> params(Map<String, String> env, List<String> problems) {
        Map<String, Long> values = new TreeMap<>(DEFAULTS);
        for (Map.Entry<String, String> entry : env.entrySet()) {
            if (!entry.getKey().startsWith(PARAM)) {
                continue;
            }
            String name = entry.getKey().substring(PARAM.length());
            String text = entry.getValue().strip();
            if (!DEFAULTS.containsKey(name)) {
                problems.add(entry.getKey() + ": unknown parameter; this job takes " + String.join(", ", DEFAULTS.keySet()));
            } else if (!NUMBER.matcher(text).matches()) {
                problems.add(entry.getKey() + ": must be a whole number >= 0, got '" + text + "'");
            } else {
                values.put(name, Long.parseLong(text));
            }
        }
        return values;
    }
}
