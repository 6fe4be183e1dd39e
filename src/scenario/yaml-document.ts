import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { UsageError } from '../errors.js';
import { positionedError, YamlField, type YamlSource } from './yaml-field.js';

/** One parsed YAML file: its document (for matrix expansion), its source and its root field, a mapping. */
export interface YamlRoot {
  readonly document: Document;
  readonly source: YamlSource;
  readonly field: YamlField;
}

/**
 * Parses the text of a faultline file (scenario or experiment): one YAML document whose top level is a mapping.
 * Syntax errors, several documents and an empty file are positioned UsageErrors.
 */
export function parseYamlRoot(text: string, fileName: string): YamlRoot {
  const lineCounter = new LineCounter();
  const source: YamlSource = { fileName, lineCounter };
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const what = syntaxError.code === 'MULTIPLE_DOCS' ? 'one scenario per file; this file holds more than one YAML document' : syntaxError.message;
    throw positionedError(source, syntaxError.pos[0], `YAML syntax error: ${what}`);
  }
  const contents = (document.contents ?? null) as Node | null;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    throw positionedError(source, 0, '(top level): the file is empty; expected a scenario (name, title, cluster, topic, workload, ...)');
  }
  const field = new YamlField(source, '', contents, 0);
  if (!isMap(contents)) field.map();
  return { document, source, field };
}

/** The text of a file; an unreadable one is a UsageError naming it (`what`: scenario file, experiment file). */
export function readYamlText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: cannot read ${what}${code === 'ENOENT' ? ' (no such file)' : code ? ` (${code})` : ''}`);
  }
}
