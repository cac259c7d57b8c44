// Flat ESLint config: strict type-checked rules; `npm run lint` runs with --max-warnings 0.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_VSCODE = { name: 'vscode', message: 'This layer runs in plain Node: no vscode import.' };
const LAZY_BUNDLES = [
  {
    regex: '/language/(?!lazy$)',
    allowTypeImports: true,
    message: 'The language features are their own bundle: use src/language/lazy.ts (type imports are fine).',
  },
  {
    regex: '/commands/(?!index$|services$)',
    allowTypeImports: true,
    message: 'The command handlers are their own bundle, loaded at the first command (type imports are fine).',
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/vscode-harness/node_modules/**', '.vscode-test/**', 'artifacts/**', '*.vsix'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/test return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'test', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      // `||` on strings deliberately treats '' as missing (names, hosts, settings).
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // Event subscriptions read best as one-line arrows; the void result is never used.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    // The lazily loaded bundles (esbuild.mjs): outside its own folder, the language features and the
    // command handlers are reached only through their loaders, so they stay out of dist/extension.js.
    files: ['src/**/*.ts'],
    ignores: ['src/language/**', 'src/commands/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: LAZY_BUNDLES }] },
  },
  {
    // The API layer, the model, the Hog toolchain and the stand-in run in plain Node: they must never
    // import 'vscode'. So does the language core (scanner, lints, findings, docs, the analysis and its worker): only
    // completion/diagnostics/hover/navigation/index adapt it to VS Code.
    // (A later block's options replace an earlier one's for the same rule: the src/ files outside the
    // language folder repeat the lazy-bundle patterns here, or they would lose them — and the other way
    // round, which is how this rule was once silently off for src/api and src/model.)
    files: ['src/api/**/*.ts', 'src/model/**/*.ts', 'src/hog/**/*.ts', 'src/sync/**/*.ts', 'src/util/errorMessage.ts', 'src/util/turns.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: LAZY_BUNDLES }] },
  },
  {
    files: ['src/language/{scanner,lints,findings,hogDocs,analysis,analyzer,analysisWorker}.ts', 'test/standin/**/*.ts', 'test/unit/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE] }] },
  },
  {
    // One owner for every write: only the stores (src/services) call the client's write methods; views
    // and commands call the stores, which apply one conflict policy and tell every listener. The
    // headless command line (src/sync/cli.ts) has no views to tell: it writes with the client itself.
    files: ['src/**/*.ts'],
    ignores: ['src/api/**', 'src/services/**', 'src/sync/cli.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(updateHogFunction|createHogFunction|softDeleteHogFunction|restoreHogFunction|deleteHogFunction|enableBackfills|testHogFunction|updateGroupProperty|deleteGroupProperty|publishDraft|discardDraft|restoreRevision)$/]:not([callee.object.property.name=/^(store|groups)$/])',
          message: 'Writes to PostHog go through the stores (src/services), which own conflicts and change events.',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        fetch: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        window: 'readonly',
        document: 'readonly',
        MutationObserver: 'readonly', // inside page.evaluate (Playwright)
        AbortController: 'readonly',
      },
    },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
);
