// Flat config: typescript-eslint's recommended rules over all TypeScript in the repo, and its type-aware
// (recommendedTypeChecked) rules over the code that ships: functions/ (the Lambdas and the local runtime) and
// infra/. Tests, benchmarks and scripts get the syntactic rules only: type-aware linting costs a TypeScript program
// per run, and there it would mostly flag the `any` of test doubles and JSON fixtures. functions/domain/ is kept
// pure by the rules at the bottom.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import regexp from 'eslint-plugin-regexp';

/** The zod import rule is shared: a `no-restricted-syntax` set in a later block replaces the earlier one whole. */
const ZOD_NAMESPACE_IMPORT = {
  selector: "ImportDeclaration[source.value=/^zod/] ImportSpecifier[imported.name='z']",
  message: "Use `import * as z from 'zod'` so esbuild can tree-shake zod out of Lambda bundles.",
};

/** What the domain must not reach: the outside world and the rooms around it (STYLE.md: dependencies point inward). */
const DOMAIN_IMPURE_IMPORTS = {
  paths: [
    ...['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dns', 'dns/promises', 'tls', 'dgram', 'child_process', 'process'].flatMap(
      (name) => [name, `node:${name}`].map((path) => ({ name: path, message: 'functions/domain is pure: I/O belongs in an adapter.' })),
    ),
  ],
  patterns: [
    { group: ['@aws-sdk/*', '@aws-lambda-powertools/*', '@middy/*'], message: 'functions/domain is pure: no AWS SDK, Powertools or middy; adapters and shared/ wrap them.' },
    {
      regex: '^(#(adapters|handlers|shared|local)/|(\\.\\./)+(adapters|handlers|shared|local|lambda)/)',
      message: 'functions/domain imports only the domain: adapters, handlers, shared and the runtimes depend on it, never the reverse.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.newsalert/', 'coverage/', 'bench/results/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['functions/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Off on purpose: ports are Promise-returning, and an implementation whose body happens to be synchronous
      // (the in-process bus, a route that answers from memory) stays `async` so that what it throws reaches the
      // caller as a rejection, as the AWS adapter's would, not as a synchronous throw.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // `import { z } from 'zod'` pulls all of zod into every Lambda bundle (~370 KB more); the namespace import
      // `import * as z from 'zod'` lets esbuild tree-shake it.
      'no-restricted-syntax': ['error', ZOD_NAMESPACE_IMPORT],
    },
  },
  {
    // The domain is pure TypeScript: handed its data, config, clock and randomness, it reads no environment and
    // talks to nothing. JSON imported with import attributes (classification data, the topic tree) is allowed.
    files: ['functions/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', DOMAIN_IMPURE_IMPORTS],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'functions/domain reads no environment: the caller passes what it needs (shared/env.ts reads it once).' }],
      'no-restricted-globals': ['error', { name: 'process', message: 'functions/domain does not touch the process: the caller passes what it needs.' }],
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
  // The web console runs in the browser: its globals, not Node's.
  {
    files: ['functions/console/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
