package dev.faultline.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(JobConfig.BOOTSTRAP, "10.0.0.1:9092,10.0.0.2:9092");
        env.put(JobConfig.INPUT_TOPIC, "in");
        env.put(JobConfig.OUTPUT_TOPIC, "out");
        env.put(JobConfig.DLQ_TOPIC, "dlq");
        env.put(JobConfig.APP_ID, "job-1");
        env.put(JobConfig.STATE_DIR, "/tmp/state");
        env.put(JobConfig.GUARANTEE, "exactly-once");
        return env;
    }

    private static String error(Map<String, String> env) {
        return assertThrows(ConfigError.class, () -> JobConfig.fromEnv(env)).getMessage();
    }

    @Test
    void readsTheContractWithDefaults() throws ConfigError {
        JobConfig config = JobConfig.fromEnv(env());
        assertEquals("10.0.0.1:9092,10.0.0.2:9092", config.bootstrap());
        assertEquals(Guarantee.EXACTLY_ONCE, config.guarantee());
        assertEquals(JobConfig.DEFAULT_JOB_VERSION, config.jobVersion());
        assertEquals(JobParams.DEFAULTS, config.params());
        assertEquals("allowFail=0 messagesPerFail=10 delayMs=0 messagesPerDelay=0 commitIntervalMs=100", config.params().describe());
    }

    @Test
    void readsParameters() throws ConfigError {
        Map<String, String> env = env();
        env.put(JobConfig.ALLOW_FAIL, "1");
        env.put(JobConfig.MESSAGES_PER_FAIL, "7");
        env.put(JobConfig.DELAY_MS, "250");
        env.put(JobConfig.MESSAGES_PER_DELAY, "3");
        env.put(JobConfig.JOB_VERSION, "v2");
        JobConfig config = JobConfig.fromEnv(env);
        assertEquals(new JobParams(true, 7, 250, 3), config.params());
        assertEquals("v2", config.jobVersion());
        assertTrue(config.params().failsOn(6));
        assertFalse(config.params().failsOn(7));
        assertTrue(config.params().delaysOn(3));
        assertFalse(config.params().delaysOn(4));
    }

    @Test
    void namesEveryMissingVariable() {
        Map<String, String> env = env();
        env.remove(JobConfig.BOOTSTRAP);
        env.put(JobConfig.STATE_DIR, " ");
        assertEquals("missing required environment variable(s): FAULTLINE_BOOTSTRAP, FAULTLINE_STATE_DIR", error(env));
    }

    @Test
    void rejectsBadValuesNamingTheVariable() {
        Map<String, String> env = env();
        env.put(JobConfig.GUARANTEE, "exactly_once_v2");
        assertEquals("FAULTLINE_GUARANTEE must be at-least-once or exactly-once, got 'exactly_once_v2'", error(env));

        env = env();
        env.put(JobConfig.ALLOW_FAIL, "true");
        assertEquals("FAULTLINE_PARAM_ALLOW_FAIL must be 0 or 1, got 'true'", error(env));

        env = env();
        env.put(JobConfig.MESSAGES_PER_FAIL, "0");
        assertEquals("FAULTLINE_PARAM_MESSAGES_PER_FAIL must be >= 1, got 0", error(env));

        env = env();
        env.put(JobConfig.DELAY_MS, "-5");
        assertEquals("FAULTLINE_PARAM_DELAY_MS must be a whole number >= 0, got '-5'", error(env));

        env = env();
        env.put(JobConfig.DELAY_MS, "60001");
        assertEquals("FAULTLINE_PARAM_DELAY_MS must be <= 60000, got 60001", error(env));

        env = env();
        env.put(JobConfig.BOOTSTRAP, "localhost");
        assertTrue(error(env).startsWith("FAULTLINE_BOOTSTRAP must be host:port"));

        env = env();
        env.put(JobConfig.APP_ID, "my app");
        assertTrue(error(env).startsWith("FAULTLINE_APP_ID must be 1-249 of [a-zA-Z0-9._-]"));

        env = env();
        env.put(JobConfig.OUTPUT_TOPIC, "in");
        assertTrue(error(env).contains("must be three different topics"));
    }

    @Test
    void rejectsUnknownParameters() {
        Map<String, String> env = env();
        env.put("FAULTLINE_PARAM_MESSAGE_PER_FAIL", "5");
        assertEquals("unknown parameter(s) FAULTLINE_PARAM_MESSAGE_PER_FAIL; this job takes FAULTLINE_PARAM_ALLOW_FAIL, "
                + "FAULTLINE_PARAM_COMMIT_INTERVAL_MS, FAULTLINE_PARAM_DELAY_MS, FAULTLINE_PARAM_MESSAGES_PER_DELAY, FAULTLINE_PARAM_MESSAGES_PER_FAIL", error(env));
    }

    @org.junit.jupiter.api.Test
    void readsAndBoundsTheCommitInterval() throws ConfigError {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put(JobConfig.COMMIT_INTERVAL_MS, "30000");
        org.junit.jupiter.api.Assertions.assertEquals(30_000, JobConfig.params(env).commitIntervalMs());
        env.put(JobConfig.COMMIT_INTERVAL_MS, "0");
        org.junit.jupiter.api.Assertions.assertThrows(ConfigError.class, () -> JobConfig.params(env));
    }
}
