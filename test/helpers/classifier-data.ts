// Vitest setup: every test process reads the classifier's data files from the source tree, as the local runtime
// does (the adapter installs its reader on import), so domain tests may call classify() directly.
import '#adapters/classifier.js';
