import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { javaCommand } from '../cluster/node-process.js';

/** A ready-to-spawn command line: `spawn(command, args)`. */
export interface JavaToolCommand {
  readonly command: string;
  readonly args: string[];
}

/** The part of a resolved Kafka distribution a tool needs (see resolveKafkaDistribution). */
export interface ToolDistribution {
  /** Folder with every runtime jar, kafka-tools included. */
  readonly libDir: string;
  /** 3 → log4j 1 (reload4j) configuration; 4 → log4j2. */
  readonly major: number;
}

export interface JavaToolJvmOptions {
  /** A logging config written by `writeToolLogConfig` for the same major version; without it the tool's defaults apply. */
  readonly logConfigFile?: string;
  /** Maximum heap; default 256 MiB, enough for one producer on a 2-core machine. */
  readonly heapMb?: number;
  /** Extra `-D<name>=<value>` JVM flags (e.g. `user.timezone`), after the locale flags. */
  readonly systemProperties?: Readonly<Record<string, string>>;
}

/** Kafka's tools log through SLF4J; everything goes to stderr so stdout stays the tool's own output. */
const LOG4J2_PROPERTIES = `# faultline: Kafka tool logging, all to stderr (stdout carries the tool's output)
status = warn
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
`;

const LOG4J1_PROPERTIES = `# faultline: Kafka tool logging, all to stderr (stdout carries the tool's output)
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
`;

/** File name of the tool logging config for a Kafka major version. */
export function toolLogConfigName(major: number): string {
  return major >= 4 ? 'tools-log4j2.properties' : 'tools-log4j.properties';
}

/** Writes the stderr-only logging config for `major` into `dir` and returns its path. */
export function writeToolLogConfig(dir: string, major: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, toolLogConfigName(major));
  writeFileSync(path, major >= 4 ? LOG4J2_PROPERTIES : LOG4J1_PROPERTIES);
  return path;
}

/**
 * `java <jvm flags> -cp "<libDir>/*" <mainClass> <toolArgs>`.
 * The locale is pinned to en-US because the tools print numbers with String.format (`%f`),
 * which would write a decimal comma under e.g. de_DE.
 */
export function javaToolCommand(dist: ToolDistribution, mainClass: string, toolArgs: readonly string[], jvm: JavaToolJvmOptions = {}): JavaToolCommand {
  const heapMb = jvm.heapMb ?? 256;
  if (!Number.isSafeInteger(heapMb) || heapMb < 32) throw new UsageError(`heapMb must be a whole number >= 32, got ${heapMb}`);
  const args = [`-Xmx${heapMb}m`, '-Duser.language=en', '-Duser.country=US'];
  for (const [name, value] of Object.entries(jvm.systemProperties ?? {})) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError(`systemProperties: '${name}' is not a plain Java property name`);
    if (/\s/.test(value)) throw new UsageError(`systemProperties.${name}: value must not contain whitespace`);
    args.push(`-D${name}=${value}`);
  }
  if (jvm.logConfigFile !== undefined) {
    args.push(dist.major >= 4 ? `-Dlog4j2.configurationFile=${jvm.logConfigFile}` : `-Dlog4j.configuration=file:${jvm.logConfigFile}`);
  }
  args.push('-cp', `${dist.libDir}/*`, mainClass, ...toolArgs);
  return { command: javaCommand(), args };
}

/** Producer properties as a Java properties file body (one `key=value` a line). */
export function producerPropertiesText(props: Readonly<Record<string, string | number | boolean>>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(props)) {
    if (!/^[A-Za-z0-9._-]+$/.test(key)) throw new UsageError(`producer property name '${key}' is not a plain Kafka config name`);
    const text = String(value);
    if (/[\n\r]/.test(text)) throw new UsageError(`producer property ${key}: value must be one line`);
    // Backslash is the only escape a properties value needs here (no leading spaces in config values).
    lines.push(`${key}=${text.replace(/\\/g, '\\\\')}`);
  }
  return lines.join('\n') + '\n';
}

/** Writes `props` as a properties file for `--command-config` / `--producer.config`; returns the path. */
export function writeProducerConfig(path: string, props: Readonly<Record<string, string | number | boolean>>): string {
  writeFileSync(path, producerPropertiesText(props));
  return path;
}

/** Accepts our acks spelling ('all') or Kafka's ('-1'); returns the tools' integer form. */
export function toolAcks(acks: string): '0' | '1' | '-1' {
  if (acks === 'all' || acks === '-1') return '-1';
  if (acks === '0' || acks === '1') return acks;
  throw new UsageError(`acks must be 0, 1, all or -1, got '${acks}'`);
}
