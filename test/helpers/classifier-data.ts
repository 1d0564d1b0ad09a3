// Vitest setup: every test process reads the classifier's data files from the source tree, as the local runtime does.
import { installClassifierDataFiles } from '#adapters/classifier-data-files.js';

installClassifierDataFiles();
