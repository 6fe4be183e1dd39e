/**
 * Escaping for the reports: every string that reaches HTML or XML passes through `escapeMarkup`,
 * every cell of a Markdown table through `escapeMarkdownCell`.
 */

const MARKUP_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in HTML and XML element content and in quoted attribute values. Characters XML 1.0 forbids
 * (control characters other than tab, newline and carriage return; lone surrogates) become U+FFFD.
 */
export function escapeMarkup(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => MARKUP_ENTITIES[c] ?? c)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** JSON for a `<script type="application/json">` block: `<` is escaped so no `</script>` can close it early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** One cell of a Markdown table: pipes escaped, line breaks flattened, HTML special characters escaped. */
export function escapeMarkdownCell(text: string): string {
  return escapeMarkup(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
