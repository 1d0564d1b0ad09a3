// Writes the web console's build into a folder: `tsx scripts/build-console.ts <dir>`. NodeFunction's afterBundling
// hook runs it for the api function, so the Lambda asset carries `console/` beside index.mjs.
import { writeConsole } from '../functions/local/console-build.js';

const dir = process.argv[2];
if (dir === undefined || dir === '') {
  console.error('usage: tsx scripts/build-console.ts <output folder>');
  process.exit(2);
}
const names = await writeConsole(dir);
console.log(`console: ${names.join(', ')} -> ${dir}`);
