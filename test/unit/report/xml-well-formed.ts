/**
 * A small XML well-formedness check for the tests: one root element, tags nested and closed, attribute
 * values quoted, no raw `<` or `&` outside markup, only the five predefined entities and numeric ones.
 * Returns the problem, or null when well formed; `elements` counts the elements by name.
 */
export function xmlProblem(text: string): { problem: string | null; elements: Map<string, number> } {
  const elements = new Map<string, number>();
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g;
  let at = 0;
  let roots = 0;
  const fail = (problem: string) => ({ problem, elements });
  for (let m = token.exec(body); m !== null; m = token.exec(body)) {
    const textBetween = body.slice(at, m.index);
    if (/[<>]/.test(textBetween.replace(/&gt;/g, ''))) return fail(`raw markup character in text near ${JSON.stringify(textBetween.slice(0, 80))}`);
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(textBetween + (m[3] ?? ''))) return fail(`bad entity near ${JSON.stringify((textBetween + (m[3] ?? '')).slice(0, 80))}`);
    if (stack.length === 0 && textBetween.trim() !== '') return fail('text outside the root element');
    at = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (name === undefined) continue;
    if (closing) {
      if (stack.pop() !== name) return fail(`</${name}> closes nothing open`);
      continue;
    }
    if (stack.length === 0 && ++roots > 1) return fail('more than one root element');
    elements.set(name, (elements.get(name) ?? 0) + 1);
    if (!selfClosing) stack.push(name);
  }
  if (body.slice(at).trim() !== '') return fail('text after the root element');
  if (stack.length > 0) return fail(`unclosed <${stack.join('>, <')}>`);
  return { problem: roots === 1 ? null : 'no root element', elements };
}
