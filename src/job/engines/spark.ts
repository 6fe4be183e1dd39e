import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError, UsageError } from '../../errors.js';
import { javaCommand } from '../../cluster/node-process.js';
import type { JavaToolCommand } from '../../peer/java-tool.js';
import { JOB_TMPDIR } from './kafka-streams.js';
import { repoPath } from './repo-path.js';

/** The Spark Structured Streaming reference job's engine name (job descriptions, `job-start` events). */
export const SPARK_ENGINE = 'spark';

/** The Spark version the job is built with: `spark.version` in jobs/spark-streaming/pom.xml. */
export const SPARK_VERSION = '4.2.0';

/** What scripts/setup.sh builds, relative to the repository root: the job's classes and its dependencies (docs/pipelines.md). */
export const SPARK_JOB_JAR = 'jobs/spark-streaming/target/faultline-spark-job.jar';
const SPARK_JOB_LIB_DIR = 'jobs/spark-streaming/target/lib';

/** Default maximum heap: Spark in local mode with two task threads and small state, beside three brokers on 2 cores. */
export const SPARK_JOB_HEAP_MB = 768;

const MIN_SPARK_HEAP_MB = 256;
const JOB_PROJECT_FILE = 'jobs/spark-streaming/pom.xml';
const MAIN_CLASS = 'dev.faultline.spark.Main';

/**
 * The JDK module options Spark needs on Java 17 (what spark-submit adds itself: Spark reaches into java.base for
 * off-heap memory, NIO and serialization).
 */
const SPARK_JAVA_OPENS = [
  'java.lang', 'java.lang.invoke', 'java.lang.reflect', 'java.io', 'java.net', 'java.nio', 'java.util',
  'java.util.concurrent', 'java.util.concurrent.atomic', 'jdk.internal.ref', 'sun.nio.ch', 'sun.nio.cs',
  'sun.security.action', 'sun.util.calendar',
].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`);

export interface SparkJobOptions {
  /** Maximum heap (-Xmx); default SPARK_JOB_HEAP_MB. */
  readonly heapMb?: number;
}

/**
 * `java -Xmx768m --add-opens=… -cp <jar>:<lib>/* dev.faultline.spark.Main`: the Spark reference job's command line;
 * everything else comes from the FAULTLINE_* environment (docs/pipelines.md). A JVM out of memory exits (code 3).
 */
export function sparkJobCommand(options: SparkJobOptions = {}): JavaToolCommand {
  const heapMb = options.heapMb ?? SPARK_JOB_HEAP_MB;
  if (!Number.isSafeInteger(heapMb) || heapMb < MIN_SPARK_HEAP_MB) {
    throw new UsageError(`heapMb must be a whole number >= ${MIN_SPARK_HEAP_MB}, got ${heapMb}`);
  }
  const jar = repoPath(JOB_PROJECT_FILE, SPARK_JOB_JAR);
  const lib = repoPath(JOB_PROJECT_FILE, SPARK_JOB_LIB_DIR);
  if (!existsSync(jar) || !existsSync(lib)) {
    throw new FaultlineError(`the Spark job is not built: ${existsSync(jar) ? lib : jar} does not exist (run scripts/setup.sh, or mvn -q package in jobs/spark-streaming)`);
  }
  const args = [
    `-Xmx${heapMb}m`, '-XX:+ExitOnOutOfMemoryError', '-XX:+IgnoreUnrecognizedVMOptions', ...SPARK_JAVA_OPENS,
    '--add-exports=java.base/sun.nio.ch=ALL-UNNAMED', '-Djdk.reflect.useDirectMethodHandle=false',
    '-Dio.netty.tryReflectionSetAccessible=true', `-Djava.io.tmpdir=${JOB_TMPDIR}`, '-Duser.language=en', '-Duser.country=US',
    '-cp', `${jar}:${join(lib, '*')}`, MAIN_CLASS,
  ];
  return { command: javaCommand(), args };
}
