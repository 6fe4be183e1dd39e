import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The CLI reaches the library only through its public entry points (issue 8: a thin CLI). */
const PUBLIC_ENTRIES = ['../index.js', '../model/index.js'];
const CLI_DIR = 'src/cli';

/** Every module specifier a file names: static imports and re-exports, side-effect imports, dynamic import(). */
function specifiers(source: string): string[] {
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1] ?? ''));
}

/** Why a specifier is not allowed in src/cli, or undefined when it is: node built-ins, packages, siblings, public entries. */
function forbidden(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || !specifier.startsWith('.')) return undefined;
  if (/^\.\/[^/]+\.js$/.test(specifier) || PUBLIC_ENTRIES.includes(specifier)) return undefined;
  return `${specifier} is neither a sibling in src/cli nor ${PUBLIC_ENTRIES.join(' / ')}`;
}

test('the import rule itself: internal modules are refused, public entries and siblings pass', () => {
  const sample = "import { a } from '../index.js';\nimport type { B } from '../model/index.js';\nexport { c } from './parse.js';\nimport 'node:fs';\n" +
    "import { Command } from 'commander';\nimport { d } from '../cluster/cluster-state.js';\nconst e = await import('../kafka/admin.js');\nimport { f } from './sub/g.js';\n";
  const refused = specifiers(sample).filter((s) => forbidden(s) !== undefined);
  assert.deepEqual(refused, ['../cluster/cluster-state.js', './sub/g.js', '../kafka/admin.js']);
});

test('every src/cli file imports library code only from ../index.js or ../model/index.js', () => {
  const files = readdirSync(CLI_DIR).filter((f) => f.endsWith('.ts'));
  assert.ok(files.includes('main.ts') && files.length >= 10, `found the CLI files: ${files.join(', ')}`);
  const imports = files.flatMap((file) => specifiers(readFileSync(join(CLI_DIR, file), 'utf8')).map((specifier) => ({ file, specifier })));
  assert.ok(imports.some((i) => i.specifier === '../index.js'), 'the reader sees the CLI\'s library imports');
  const problems = imports.flatMap(({ file, specifier }) => {
    const why = forbidden(specifier);
    return why === undefined ? [] : [`${file}: ${why}`];
  });
  assert.deepEqual(problems, []);
});
