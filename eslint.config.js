// Lint: typescript-eslint's type-checked rules, plus the layering as import rules (see docs/DESIGN.md).
// dependency-cruiser (.dependency-cruiser.cjs) checks the same layers and cycles over the whole graph.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const engineInternals = {
  group: ['**/archive/*/**', '**/archive/!(index).js'],
  message: 'Import the engine only through its entry, src/archive/index.ts.',
};

/** What the engine may not import; `wink` says whether wink-nlp is allowed (only in analysis/). */
function engineRestrictions({ wink }) {
  const discord = 'The engine knows nothing of Discord.';
  return {
    paths: [{ name: 'discord.js', message: discord }],
    patterns: [
      ...(wink ? [] : [{ group: ['wink-*'], message: 'Only src/archive/analysis/ imports wink-nlp.' }]),
      { group: ['@discordjs/*'], message: discord },
      { group: ['**/discord/**', '**/bot/**', '**/cli/**', '**/commands/**'], message: 'The engine is the bottom layer.' },
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'bench/node_modules/', 'coverage/', 'tests/fixtures/lint/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '.*.cjs', 'bench/cli/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read the fake Discord's recorded JSON payloads: untyped by nature, asserted field by field.
    files: ['tests/**/*.ts', 'testing/**/*.ts', 'bench/load.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
  },
  {
    // The engine knows nothing of Discord, the bot or the CLI; only analysis/ talks to wink-nlp.
    files: ['src/archive/**/*.ts'],
    ignores: ['src/archive/analysis/**'],
    rules: { 'no-restricted-imports': ['error', engineRestrictions({ wink: false })] },
  },
  {
    files: ['src/archive/analysis/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', engineRestrictions({ wink: true })] },
  },
  {
    // Discord plumbing knows no product.
    files: ['src/discord/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/bot/**', '**/cli/**', '**/commands/**'], message: 'src/discord is plumbing: it imports nothing of the product.' },
            engineInternals,
          ],
        },
      ],
    },
  },
  {
    files: ['src/bot/**/*.ts', 'src/cli/**/*.ts', 'commands/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            engineInternals,
            { group: ['wink-nlp', 'wink-eng-lite-web-model'], message: 'Only src/archive/analysis/ imports wink-nlp.' },
          ],
        },
      ],
    },
  },
);
