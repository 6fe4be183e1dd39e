import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execCapture } from '../util/exec.js';
import { faultlineCache } from '../util/paths.js';
import { FaultlineError, UsageError } from '../errors.js';

/** Newest Kafka 4.x whose broker and tools jars are both on Maven Central (4.4.0 has no kafka-tools yet). */
export const DEFAULT_KAFKA_VERSION = '4.3.1';
/** Newest 3.9.x: the last line with ZooKeeper mode. */
export const DEFAULT_ZOOKEEPER_KAFKA_VERSION = '3.9.2';

export interface KafkaDistribution {
  readonly version: string;
  /** Folder holding every runtime jar (broker, tools, ZooKeeper for 3.x, one SLF4J binding). */
  readonly libDir: string;
  readonly major: number;
  /** True for 3.x: ZooKeeper mode available, log4j 1 (reload4j) configuration. */
  readonly supportsZooKeeper: boolean;
}

export function parseKafkaVersion(version: string): { major: number; minor: number } {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new UsageError(`kafkaVersion: expected a version like ${DEFAULT_KAFKA_VERSION}, got '${version}'`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < 3 || (major === 3 && minor < 7) || major > 4) {
    throw new UsageError(`kafkaVersion: ${version} is not supported (3.7.x to 4.x)`);
  }
  return { major, minor };
}

function pom(version: string, major: number, log4jVersion: string | undefined): string {
  const dep = (g: string, a: string, v: string) => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  const deps = [dep('org.apache.kafka', 'kafka_2.13', version), dep('org.apache.kafka', 'kafka-tools', version)];
  if (major === 3) {
    deps.push(dep('org.slf4j', 'slf4j-reload4j', '1.7.36'), dep('ch.qos.reload4j', 'reload4j', '1.2.25'));
  } else if (log4jVersion) {
    // Kafka 4 pulls log4j-core but no SLF4J binding; match the binding to that log4j version.
    deps.push(dep('org.apache.logging.log4j', 'log4j-slf4j-impl', log4jVersion));
  }
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>dev.faultline</groupId><artifactId>kafka-dist</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>${deps.join('')}</dependencies></project>\n`;
}

async function copyDependencies(workDir: string, outDir: string, version: string): Promise<void> {
  // FAULTLINE_MAVEN_SETTINGS: a settings.xml with mirrors or proxies, for machines that reach Maven Central another way.
  const settings = process.env['FAULTLINE_MAVEN_SETTINGS'];
  const result = await execCapture(
    'mvn',
    ['-B', '-q', ...(settings ? ['-s', settings] : []), '-f', join(workDir, 'pom.xml'), 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outDir}`],
    { timeoutMs: 600_000 },
  );
  if (result.code !== 0) {
    const text = result.stdout + result.stderr;
    // Maven says it either way: first as 'Could not find', later from its cache of failed look-ups as 'was not found'.
    if (/Could not find artifact org\.apache\.kafka|org\.apache\.kafka:[\w.-]+:jar:[\w.-]+ was not found/.test(text)) {
      throw new UsageError(`Kafka ${version} is not on Maven Central (org.apache.kafka:kafka_2.13:${version} or kafka-tools); try ${DEFAULT_KAFKA_VERSION}`);
    }
    if (/Could not transfer|Unknown host|Connection refused|timed out|Network is unreachable/i.test(text)) {
      throw new FaultlineError(`Maven could not reach Maven Central to fetch Kafka ${version}: ${text.split('\n').find((l) => l.includes('ERROR')) ?? text.slice(-400)}`);
    }
    throw new FaultlineError(`Maven failed to fetch Kafka ${version} (exit ${result.code}): ${text.split('\n').filter((l) => l.includes('ERROR')).slice(0, 3).join(' ') || text.slice(-400)}`);
  }
}

/**
 * Resolves the Kafka distribution from Maven Central, caching it per version under
 * ~/.cache/faultline/kafka/<version>/libs. A later call with a warm cache costs one directory listing.
 */
export async function resolveKafkaDistribution(version: string, log: (line: string) => void = () => undefined): Promise<KafkaDistribution> {
  const { major } = parseKafkaVersion(version);
  const root = join(faultlineCache(), 'kafka', version);
  const libDir = join(root, 'libs');
  const dist: KafkaDistribution = { version, libDir, major, supportsZooKeeper: major === 3 };
  if (existsSync(join(root, 'complete'))) return dist;

  log(`fetching Kafka ${version} from Maven Central (once; cached in ${root})`);
  const workDir = join(root, 'work');
  const stagingDir = join(root, 'libs.partial');
  rmSync(workDir, { recursive: true, force: true });
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, 'pom.xml'), pom(version, major, undefined));
  await copyDependencies(workDir, stagingDir, version);
  if (major >= 4) {
    const core = readdirSync(stagingDir).find((name) => /^log4j-core-[\d.]+\.jar$/.test(name));
    if (!core) throw new FaultlineError(`Kafka ${version} brought no log4j-core jar; cannot choose an SLF4J binding`);
    const log4jVersion = core.slice('log4j-core-'.length, -'.jar'.length);
    writeFileSync(join(workDir, 'pom.xml'), pom(version, major, log4jVersion));
    await copyDependencies(workDir, stagingDir, version);
  }
  const bindings = readdirSync(stagingDir).filter((name) => /^(slf4j-reload4j|log4j-slf4j-impl|slf4j-log4j12|logback-classic)-/.test(name));
  if (bindings.length !== 1) throw new FaultlineError(`expected exactly one SLF4J binding in ${stagingDir}, found: ${bindings.join(', ') || 'none'}`);
  rmSync(libDir, { recursive: true, force: true });
  renameSync(stagingDir, libDir);
  rmSync(workDir, { recursive: true, force: true });
  writeFileSync(join(root, 'complete'), new Date().toISOString() + '\n');
  return dist;
}
