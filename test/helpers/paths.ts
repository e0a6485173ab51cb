import { fileURLToPath } from 'node:url';

/** Repo-relative and shared-data paths for tests. */
export const repoPath = (rel: string): string => fileURLToPath(new URL(`../../${rel}`, import.meta.url));
export const sharedPath = (rel: string): string => fileURLToPath(new URL(`../../../shared/${rel}`, import.meta.url));

/** Real speech used across tests: a native US dev utterance (FLAC) and a spoken-digit dev utterance. */
export const SPEECH_FLAC = sharedPath('data/corpora/arctic_native/audio/arctic_clb_a0001.flac');
export const DIGITS_DIR = sharedPath('data/corpora/fsdd');
export const FIXTURE_STREAMING = repoPath('test/fixtures/models/digits-streaming.onnx');
export const FIXTURE_WHOLE = repoPath('test/fixtures/models/digits-whole.onnx');
export const PYTHON = '/usr/bin/python3';
