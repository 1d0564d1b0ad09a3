#!/usr/bin/env node
// The CLI runs the JavaScript that bin/build.mjs compiles into dist/cli.mjs (at `npm ci`, and again here whenever a
// source file is newer than the build), so a call starts without compiling TypeScript. The Lambdas never load this:
// they are bundled by CDK from functions/lambda/.

// The CLI runs on the developer's Node (20 here); the SDK's notice about its future Node 22 floor is noise for the
// local runtime. Deployed Lambdas run nodejs22.x.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `newsalert inspect … | head`: when the reader goes away, stop quietly instead of crashing with EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const { buildCli, CLI_FILE, isFresh } = await import('./build.mjs');
let entry = CLI_FILE;
if (!isFresh()) {
  try {
    await buildCli();
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // No esbuild (an install without dev dependencies and without a build): run the sources through tsx if present.
    const { register } = await import('tsx/esm/api').catch(() => {
      process.stderr.write('newsalert: dist/cli.mjs is missing and neither esbuild nor tsx is installed: run `npm ci`\n');
      process.exit(1);
    });
    register();
    entry = new URL('../functions/local/cli.ts', import.meta.url);
  }
}
const { main } = await import(entry instanceof URL ? entry.href : new URL(`file://${entry}`).href);
process.exitCode = await main(process.argv.slice(2));
