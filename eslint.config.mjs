// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: it may not touch the network, the disk,
// the clock or any Node built-in. Only types may be imported from activity modules.
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const ioPackages = ['undici', 'pg', 'better-sqlite3', 'kysely', 'fastify', 'pino', 'prom-client'];

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', '.tools/**', '.cio-capi/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioPackages].map((name) => ({
            name,
            message: 'Workflow files run in the Temporal sandbox: no Node built-ins and no I/O.',
          })),
          patterns: [
            {
              group: ['../activities/*', '../activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Import activity types only, then call them through proxyActivities.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
