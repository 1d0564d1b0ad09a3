// Flat config: typescript-eslint's recommended type-aware rules over all TypeScript in the repo.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import regexp from 'eslint-plugin-regexp';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.newsalert/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // `import { z } from 'zod'` pulls all of zod into every Lambda bundle (~370 KB more); the namespace import
      // `import * as z from 'zod'` lets esbuild tree-shake it.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/^zod/] ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod'` so esbuild can tree-shake zod out of Lambda bundles.",
        },
      ],
    },
  },
  // Feeds, HTML, OPML and request input are untrusted: no regex in functions/ may backtrack super-linearly on them
  // (a crafted 60 KB feed once blocked the event loop for minutes). Bounded inputs are no excuse: rewrite, or scan.
  {
    files: ['functions/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': ['error', { ignorePartial: false, report: 'potential' }],
      'regexp/no-misleading-capturing-group': 'error',
    },
  },
);
