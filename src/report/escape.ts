/**
 * Escaping for the reports: every string that reaches HTML or XML passes through `escapeMarkup`,
 * every cell of a Markdown table through `escapeMarkdownCell`.
 */

const MARKUP_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A code point XML 1.0 allows: tab, newline, carriage return, and the rest from space up, without surrogates, U+FFFE, U+FFFF. */
function xmlAllows(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
}

/** Replaces every code point XML forbids (control characters, lone surrogates) with U+FFFD. */
function xmlChars(text: string): string {
  let out = '';
  for (const ch of text) out += xmlAllows(ch.codePointAt(0) ?? 0) ? ch : '\ufffd';
  return out;
}

/**
 * Text safe in HTML and XML element content and in quoted attribute values. Characters XML 1.0 forbids
 * (control characters other than tab, newline and carriage return; lone surrogates) become U+FFFD.
 */
export function escapeMarkup(text: string): string {
  return xmlChars(text).replace(/[&<>"']/g, (c) => MARKUP_ENTITIES[c] ?? c);
}

/** JSON for a `<script type="application/json">` block: `<` is escaped so no `</script>` can close it early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** One cell of a Markdown table: pipes escaped, line breaks flattened, HTML special characters escaped. */
export function escapeMarkdownCell(text: string): string {
  return escapeMarkup(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
