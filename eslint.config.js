import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'renderer/dist/**', 'models/**', '**/*.svelte'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // The core is plain Node: every door (CLI, server, workers, tests) imports it without Electron.
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'electron/core is plain Node; bind Electron in electron/main.' }] }],
    },
  },
  {
    files: ['electron/cli/**/*.ts', 'test/**/*.ts', 'build/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
