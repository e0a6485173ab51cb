/** Where the benchmark finds the repo, the shared data and the pocketsphinx baseline. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const repoPath = (rel: string): string => join(REPO, rel);

/** ../shared from the repo root, or HUSHSCRIBE_SHARED (the same override models/lm/bench-decoder.ts takes). */
export const SHARED = resolve(process.env.HUSHSCRIBE_SHARED ?? join(REPO, '../shared'));
export const CORPORA = join(SHARED, 'data/corpora');

/** The CLI door every measured run of our models goes through. */
export const CLI = repoPath('electron/cli/hushscribe.mjs');
export const DECODER_BENCH = repoPath('models/lm/bench-decoder.ts');
export const MAKE_LONG_AUDIO = repoPath('test/fixtures/make-long-audio.sh');
/** Gitignored: long WAVs are built here once and reused. */
export const GENERATED = repoPath('test/fixtures/generated');
export const BENCHMARKS_MD = repoPath('BENCHMARKS.md');

/** Debian pocketsphinx-testdata: 5 LibriVox clips, used as one more native dev set. */
export const LIBRIVOX_DIR = '/usr/share/pocketsphinx/test/data/librivox';
export const LIBRIVOX_SET = 'librivox';

/** Debian pocketsphinx-en-us. */
export const PS_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
export const PS_HMM = join(PS_MODEL_DIR, 'en-us');
export const PS_LM = join(PS_MODEL_DIR, 'en-us.lm.bin');
export const PS_DICT = join(PS_MODEL_DIR, 'cmudict-en-us.dict');
export const PS_BATCH = '/usr/bin/pocketsphinx_batch';

export const TIME_BIN = '/usr/bin/time';
