#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so `npx newsalert` works in a fresh checkout
// without a build step. The Lambdas never load this: they are bundled by esbuild from functions/lambda/.
import { register } from 'tsx/esm/api';

// The CLI runs on the developer's Node (20 here); the SDK's notice about its future Node 22 floor is noise for the
// local runtime. Deployed Lambdas run nodejs22.x.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../functions/local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
