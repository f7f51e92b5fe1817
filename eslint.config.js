import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The runtime boundary (docs/architecture.md, the "runtimes" row): the server's portable code runs on Node, Bun, Deno
 * and Workers, so Node's modules and Node-only packages stay in the Node runtime's folder, and portable code
 * reaches them only through the ports (`server/runtime/ports.ts`). The exceptions are tools that only ever
 * run as a Node command line, never in a Worker.
 */
const nodeOnlyMessage =
  'Node only: keep it in server/runtime/node/ and reach it through a port (server/runtime/ports.ts).';
const portableImportRule = (allowedNodeModules = []) => [
  'error',
  {
    // Node's modules also under their bare names (`fs`), which Node, Bun and Deno resolve to the same.
    paths: [
      ...builtinModules.filter((name) => !allowedNodeModules.includes(`node:${name}`)),
      'pg',
      '@hono/node-server',
      'prom-client',
    ].map((name) => ({ name, message: nodeOnlyMessage })),
    patterns: [
      { group: ['node:*', ...allowedNodeModules.map((name) => `!${name}`)], message: nodeOnlyMessage },
      { group: ['**/runtime/node/**'], message: nodeOnlyMessage },
    ],
  },
];
const nodeCommandLineFiles = [
  'server/runtime/node/**',
  'server/cli.ts',
  'server/doctor/**',
  'server/admin/cli-*.ts',
  // The package's Node entries: the library (`points-storefront-kit`) and `node server/main.ts`.
  'server/index.ts',
  'server/main.ts',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'lib/', 'data/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.mocha } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: nodeCommandLineFiles,
    rules: { 'no-restricted-imports': portableImportRule() },
  },
  {
    // AsyncLocalStorage: workerd has it (the nodejs_compat or nodejs_als flag), as do Bun and Deno.
    files: ['server/observability/request-context.ts'],
    rules: { 'no-restricted-imports': portableImportRule(['node:async_hooks']) },
  },
);
