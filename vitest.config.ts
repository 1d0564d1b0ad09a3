import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The classifier reads its data files through an adapter installed once per test process.
    setupFiles: ['test/helpers/classifier-data.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Tests run on Node 20 here; the SDK's notice about its future Node 22 floor would drown the output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
