#!/usr/bin/env node
// Compiles the Java degraded-link proxy (java/FaultlineTcpProxy.java, for SSH hosts without Node: see
// docs/faults-network-degrade.md) into dist/java/, part of `npm run build`. Skipped when the class is newer than the
// source. --release 11: the class files run on any Java 11+ host. Old class files are removed first, so a nested class
// that was renamed does not linger next to the new ones (every FaultlineTcpProxy*.class is copied to the hosts).
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const source = 'java/FaultlineTcpProxy.java';
const outDir = 'dist/java';
const mainClass = join(outDir, 'FaultlineTcpProxy.class');
/** javac takes 3-10 s on a loaded 2-core machine; more means something is wrong. */
const JAVAC_TIMEOUT_MS = 120_000;

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

const classMs = mtimeMs(mainClass);
if (classMs !== undefined && classMs >= (mtimeMs(source) ?? Infinity)) process.exit(0);

mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(outDir)) if (name.endsWith('.class')) rmSync(join(outDir, name));
const javac = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
const result = spawnSync(javac, ['-Xlint:all', '-Werror', '--release', '11', '-d', outDir, source], {
  stdio: 'inherit',
  timeout: JAVAC_TIMEOUT_MS,
});
if (result.error !== undefined) {
  console.error(`build-java: cannot run ${javac}: ${result.error.message} (a JDK 11+ is needed: apt-get install default-jdk-headless)`);
  process.exit(3);
}
if (result.status !== 0) {
  console.error(`build-java: ${javac} failed (exit ${result.status ?? result.signal})`);
  process.exit(1);
}
