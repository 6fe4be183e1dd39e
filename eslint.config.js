// Lint for `npm test` (issue 8): typescript-eslint strict + stylistic, type-checked against tsconfig.json.
// Every rule tuned below says why; everything else is the preset as published.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Messages and reports put numbers (counts, offsets, durations) straight into template strings.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => resolve()` / `(err) => reject(err)` callbacks are the house style; braces add nothing.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Index-signature keys (process.env, Record<string, unknown> from JSON) are read with brackets on purpose.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
      // It asks for `x!`, which strict's no-non-null-assertion forbids; `as T` after a checked index stays.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      // Model event maps must be `type` aliases (an interface lacks the implicit index signature EventMap needs).
      '@typescript-eslint/consistent-type-definitions': 'off',
      // `async` marks functions that fulfil an async contract synchronously; dropping it would turn their throws
      // from rejections into synchronous throws.
      '@typescript-eslint/require-await': 'off',
      // The model checker ends a step by throwing a plain ViolationSignal: no stack trace to capture on a hot path.
      '@typescript-eslint/only-throw-error': ['error', {
        allow: [{ from: 'file', name: 'ViolationSignal', path: 'src/model/runtime.ts' }],
      }],
      // node:test's test/describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
