/**
 * Lint: typescript-eslint's recommended rules, no import cycles, and the boundaries that keep the
 * layout honest (docs/architecture.md):
 * - the harness (graders/src outside assignments/) knows no assignment: it loads one by path;
 * - the reports show results and never judge: reports/ imports no checks;
 * - code that runs in the sandboxed child imports nothing of the trusted parent.
 * The reference, the skeleton and the submissions are course material, not linted here (the
 * corpora patch the reference by exact text).
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export const BOUNDARIES = [
  {
    target: './graders/src/!(assignments)/**/*',
    from: './graders/src/assignments',
    message: 'The harness knows no assignment: load one by path (load-assignment.ts), do not import it.',
  },
  {
    target: './graders/src/trusted/reports',
    from: './graders/src/trusted/checks',
    message: 'Reports show results; the checks that decide them stay out of reports/.',
  },
  {
    target: ['./graders/src/untrusted/**/*', './graders/src/assignments/*/untrusted/**/*'],
    from: ['./graders/src/trusted/**/*', './graders/src/assignments/*/trusted/**/*'],
    message: "Code run in the sandboxed child may not import the trusted parent's code.",
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'reference/**',
      'skeleton/**',
      'submissions/**',
      'reports/**',
      'graders/.build/**',
      'graders/mutation/**',
      'graders/test/fixtures/assignment-mini/{reference,skeleton,submissions}/**',
      '.stryker-tmp/**',
      'coverage/**',
      'dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  {
    files: ['**/*.{ts,js,mjs}'],
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    languageOptions: { globals: globals.node },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: BOUNDARIES }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The report pages' own scripts run in the student's or the TA's browser.
    files: ['graders/src/trusted/reports/templates/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);
