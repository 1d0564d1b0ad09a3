#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so `npx newsalert` works in a fresh checkout
// without a build step. The Lambdas never load this: they are bundled by esbuild from functions/lambda/.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../functions/local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
