import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FaultlineError, UsageError } from '../../errors.js';
import { repoPath } from './repo-path.js';
import { javaCommand } from '../../cluster/node-process.js';
import type { JavaToolCommand } from '../../peer/java-tool.js';

/** The reference job's engine name (job descriptions, `job-start` events). */
export const KAFKA_STREAMS_ENGINE = 'kafka-streams';

/** The Kafka Streams library the job is built with: `kafka.version` in jobs/kafka-streams/pom.xml (the default broker's version). */
export const KAFKA_STREAMS_VERSION = '4.3.1';

/** The runnable jar scripts/setup.sh builds, relative to the repository root (docs/pipelines.md). */
export const KAFKA_STREAMS_JOB_JAR = 'jobs/kafka-streams/target/faultline-streams-job.jar';

/** Default maximum heap of the job's JVM: one stream thread and a small store (RocksDB's memory is off-heap). */
export const KAFKA_STREAMS_JOB_HEAP_MB = 256;

const MIN_JOB_HEAP_MB = 64;

/** A job's JVM temp directory: its working directory, the run's job directory (removed with the run). */
export const JOB_TMPDIR = '.';

/** The project file that marks the repository root when searching upwards from this module. */
const JOB_PROJECT_FILE = 'jobs/kafka-streams/pom.xml';

export interface KafkaStreamsJobOptions {
  /** Maximum heap (-Xmx); default KAFKA_STREAMS_JOB_HEAP_MB. */
  readonly heapMb?: number;
  /** A jar other than the one setup builds (tests, a user's own build). */
  readonly jarPath?: string;
}

/** The absolute path of KAFKA_STREAMS_JOB_JAR, whether or not it has been built yet. */
export function kafkaStreamsJobJarPath(): string {
  return repoPath(JOB_PROJECT_FILE, KAFKA_STREAMS_JOB_JAR);
}

/**
 * `java -Xmx256m … -jar <repo>/jobs/kafka-streams/target/faultline-streams-job.jar`: the reference job's command line.
 * The job reads everything else from the FAULTLINE_* environment (docs/pipelines.md). A JVM out of memory exits
 * (code 3, by the JVM) rather than limping on.
 */
export function kafkaStreamsJobCommand(options: KafkaStreamsJobOptions = {}): JavaToolCommand {
  const heapMb = options.heapMb ?? KAFKA_STREAMS_JOB_HEAP_MB;
  if (!Number.isSafeInteger(heapMb) || heapMb < MIN_JOB_HEAP_MB) {
    throw new UsageError(`heapMb must be a whole number >= ${MIN_JOB_HEAP_MB}, got ${heapMb}`);
  }
  const jar = options.jarPath === undefined ? kafkaStreamsJobJarPath() : resolve(options.jarPath);
  if (!existsSync(jar)) {
    throw new FaultlineError(`the Kafka Streams job is not built: ${jar} does not exist (run scripts/setup.sh, or mvn -q package in jobs/kafka-streams)`);
  }
  // java.io.tmpdir: the job's working directory (under the run directory): RocksDB extracts its 14 MB native library
  // there at every start, and a killed JVM never deletes it (76 of them had piled up in /tmp).
  const args = [`-Xmx${heapMb}m`, '-XX:+ExitOnOutOfMemoryError', `-Djava.io.tmpdir=${JOB_TMPDIR}`, '-Duser.language=en', '-Duser.country=US', '-jar', jar];
  return { command: javaCommand(), args };
}
