// Flat config: typescript-eslint's recommended type-aware rules over all TypeScript in the repo.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
);
