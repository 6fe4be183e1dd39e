import { UsageError } from '../errors.js';

/**
 * java.util.Properties.load, as Kafka and ZooKeeper read their config files: logical lines (a natural line ending
 * in an odd number of backslashes continues on the next, whose leading blanks are dropped), comment lines starting
 * with `#` or `!` (also right after a continued line that added nothing; a comment never continues), the key ending at the first unescaped `=`, `:` or blank, then blanks, at most one `=`/`:`, blanks,
 * and the value; escapes `\t \n \r \f \uXXXX`, any other `\c` is `c`. A later key replaces an earlier one.
 */
export function parseJavaProperties(text: string, source: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const { line, lineNo } of logicalLines(text)) {
    const [key, value] = splitKeyValue(line);
    props.set(unescape(key, source, lineNo), unescape(value, source, lineNo));
  }
  return props;
}

const BLANK = /[ \t\f]/;

interface LogicalLine {
  readonly line: string;
  /** 1-based number of the natural line it starts on. */
  readonly lineNo: number;
}

function endsContinued(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Logical lines without comments and blank lines; the continuation backslashes removed. */
function logicalLines(text: string): LogicalLine[] {
  const natural = text.split(/\r\n|\r|\n/);
  if (natural.at(-1) === '') natural.pop(); // the terminator of the last line starts no line
  const out: LogicalLine[] = [];
  let current: { line: string; lineNo: number } | undefined;
  natural.forEach((raw, index) => {
    const stripped = raw.replace(/^[ \t\f]+/, '');
    // A continued line that added nothing leaves the logical line empty: the next one starts afresh (Java's len == 0).
    if (current?.line === '') current = undefined;
    if (current === undefined) {
      if (stripped === '' || stripped.startsWith('#') || stripped.startsWith('!')) return;
      current = { line: '', lineNo: index + 1 };
    }
    if (!endsContinued(stripped)) {
      out.push({ line: current.line + stripped, lineNo: current.lineNo });
      current = undefined;
      return;
    }
    current.line += stripped.slice(0, -1);
  });
  // Java's quirk: a last line that continues (into the end of the file) makes an entry even when empty: key ''.
  if (current !== undefined) out.push(current);
  return out;
}

/** The raw (still escaped) key and value of a logical line that starts with a non-blank. */
function splitKeyValue(line: string): [string, string] {
  let end = 0;
  while (end < line.length) {
    const c = line.charAt(end);
    if (c === '\\') end += 2;
    else if (c === '=' || c === ':' || BLANK.test(c)) break;
    else end++;
  }
  const key = line.slice(0, Math.min(end, line.length));
  let rest = line.slice(Math.min(end, line.length)).replace(/^[ \t\f]+/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return [key, rest];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(raw: string, source: string, lineNo: number): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw.charAt(i + 1);
    if (next === 'u') {
      const digits = raw.slice(i + 2, i + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(digits)) throw new UsageError(`${source}:${lineNo}: malformed \\uxxxx escape: \\u${digits}`);
      out += String.fromCharCode(parseInt(digits, 16));
      i += 5;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
      i++;
    }
  }
  return out;
}
