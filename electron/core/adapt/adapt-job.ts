/**
 * The adaptation job: teacher targets on the chosen audio, gate-only distillation of the
 * student in tfjs, a held-out measurement through the runtime, and a profile saved only
 * when it helped.
 *
 *  1. read: decode each file, log-mel features, the teacher pass (reused when stored),
 *     the base student pass, and the student's frontend (constant under adaptation).
 *  2. split: ~`holdout` of the audio is held out, spread over the session; under
 *     ROTATE_BELOW_SECONDS of audio the held-out share rotates over k splits (holdout.ts).
 *  3. train: the tied gates only, CTC on the teacher's (LM-decoded) words by default, optionally
 *     KL to its posteriors moved onto the student's spike timing, kept near the base gates.
 *  4. measure: the adapted model is built exactly as a profile is applied (gate
 *     initializers patched into the ONNX bytes) and run on the held-out audio; WER of
 *     base and adapted student against the teacher's transcript, pooled over the splits, on
 *     all its words and on the words it is sure of.
 *  5. save (only if the WER on the sure words went down, or on all words when too few are
 *     sure): temp file + rename; cancelling leaves nothing.
 *
 * Inputs are only read. Runs on one thread (tfjs wasm, onnxruntime with `threads`);
 * the caller picks the process priority (the CLI lowers its own; the app runs it in a
 * low-priority utility process).
 */
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { decodeAudioFile } from '../audio/index.js';
import { ModelError } from '../errors.js';
import { addCounts, alignWords, wordErrorRate, ZERO_COUNTS, type ErrorCounts } from '../eval/wer.js';
import type { ManifestRow } from '../eval/manifest.js';
import { extractLogMel, type FeatureBlock } from '../features/logmel.js';
import { loadModel, type LoadedModel } from '../inference/index.js';
import { readOnnxMetadata } from '../inference/onnx-metadata.js';
import { logger } from '../log.js';
import { NUM_CLASSES, textToSymbols } from '../symbols.js';
import type { Word } from '../transcribe/types.js';
import { createDecoder, type StreamDecoder } from '../transcribe/decoder-factory.js';
import { NAMED_MODELS } from '../transcribe/model-paths.js';
import { gateInitializers, patchWithProfile, sha256Hex } from './apply.js';
import { AdaptCancelled, AdaptError } from './errors.js';
import { GATE_PARAMS } from './gates.js';
import { temperedTarget, trainGates, type DistillChunk, type TrainReport } from './gate-trainer.js';
import { HdnnModel, studentWeightsFrom, type StudentWeights } from './hdnn.js';
import { foldsFor, speechFrames, splitFolds, type Piece } from './holdout.js';
import { readInitializer } from './onnx-initializers.js';
import { checkProfileName, profilesDir, saveProfile, type Profile, type KeepCheck, type ProfileMeta, type WerCheck } from './profile-store.js';
import { runWhole } from './passes.js';
import { alignTeacher, bestLag, medianLag } from './spike-lag.js';
import { fileTeacherPassStore, teacherPassKey, type TeacherPassStore } from './teacher-pass-store.js';
import { readSafetensors } from './safetensors.js';
import { loadTf } from './tf.js';

const log = logger('adapt');
const FRAME_SECONDS = 0.02;

/**
 * The keep check scores the teacher's words it is at least this sure of. The teacher is right on
 * only 38 % of the words it writes on the dev sets outside the bench scenarios, so the student's WER
 * against all of them mostly measures the teacher's errors: a profile that moved the student's
 * ground-truth WER 86 → 78 % scored 67 → 74 % against it. At confidence ≥ 0.9 the teacher is right
 * on 67 % of its words (about one in nine of them), the lowest bin where it is right two times in
 * three (models/training/results/adaptation-check-2026-11-29/).
 */
export const SURE_CONFIDENCE = 0.9;
/** Fewer sure words than this and the check falls back to all of the teacher's words. */
export const MIN_SURE_WORDS = 20;

export interface TrainSettings {
  /** Passes over the training audio (fewer when the time budget runs out). */
  epochs: number;
  lr: number;
  /** Distillation temperature τ. */
  tau: number;
  /** λ of the L2 pull of the gates toward the base. */
  l2: number;
  /** β: weight of the base student's own posteriors in the target (a KL pull toward the base outputs). */
  baseWeight: number;
  /** Frames (20 ms) per optimizer step. */
  batchFrames: number;
  /** Frames (20 ms) per training chunk, not counting its warm-up context. */
  chunkFrames: number;
  /** Training stops after the step that passes this. */
  timeBudgetSeconds: number;
  seed: number;
  /** Move the teacher's frames onto the student's spike timing (measured on this audio) before distilling. */
  alignSpikes: boolean;
  /**
   * Weight of the frame-level KL to the teacher's posteriors (default 0). Measured on the three
   * bench scenarios (2026-11-29, student-hdnn-2, ground-truth WER on their test parts): frame KL
   * alone made every one worse (TTS voice 65.1 → 72.3, speaker 86.2 → 87.1, room 93.7 → 95.4),
   * CTC on the teacher's words alone made them better (58.6, 79.3, 93.5), and the two together
   * sat in between (TTS 63.4). Gates cannot move the student's timing and blank rate onto the
   * teacher's; matching them frame by frame spends the gates on that and drops words under the LM.
   */
  frameWeight: number;
  /** Weight of the sequence-level term: CTC on the teacher's (LM-decoded) transcript, per frame. */
  seqWeight: number;
}

export const DEFAULT_TRAINING: Readonly<TrainSettings> = Object.freeze({
  epochs: 8, lr: 1e-3, tau: 2, l2: 1e-4, baseWeight: 0.1, batchFrames: 1600, chunkFrames: 400, timeBudgetSeconds: 180, seed: 1, alignSpikes: true, frameWeight: 0, seqWeight: 1,
});

export interface AdaptProgress {
  phase: 'reading' | 'training' | 'measuring' | 'saving';
  /** 0..1 of the whole job. */
  fraction: number;
  /** Estimated seconds left, or null before there is anything to go on. */
  etaSeconds: number | null;
  detail: string;
}

export interface AdaptOptions {
  /** The audio to adapt on (manifest rows; their text is not used). */
  rows: readonly ManifestRow[];
  name: string;
  /** Share of the audio held out to measure the gain (default 0.2). */
  holdout?: number;
  /** The student ONNX (default models/student/student.onnx); its weights are read from the .safetensors beside it. */
  studentPath?: string;
  weightsPath?: string;
  /** The teacher ONNX (default models/teacher/teacher.onnx). */
  teacherPath?: string;
  profilesDir?: string;
  /** Stored teacher passes (default: the file store in ~/.hushscribe/cache); null: always recompute, store nothing. */
  teacherPasses?: TeacherPassStore | null;
  /** Decode with the LM beam search for the WER measurement (default true), else greedy. */
  lm?: boolean;
  /** Below this much audio the held-out share rotates over all of it (default ROTATE_BELOW_SECONDS). */
  rotateBelowSeconds?: number;
  /** Save the profile even when the held-out WER did not go down (benchmarks score it on ground truth); the app never sets it. */
  keepRegardless?: boolean;
  /** onnxruntime threads (default 1). */
  threads?: number;
  minSpeechSeconds?: number;
  training?: Partial<TrainSettings>;
  signal?: AbortSignal;
  onProgress?: (p: AdaptProgress) => void;
}

export interface AdaptResult {
  name: string;
  /** Where the profile was saved, or null when nothing was saved. */
  profilePath: string | null;
  /** Why nothing was saved. */
  notSavedReason: string | null;
  /** Why the app would keep no profile (null: it helped); differs from notSavedReason only with keepRegardless. */
  notHelpedReason: string | null;
  werBefore: number;
  werAfter: number;
  /** The held-out errors behind the two WERs (substitutions, deletions, insertions). */
  errors: { before: ErrorCounts; after: ErrorCounts };
  /** The same check on the words the teacher is sure of (confidence ≥ SURE_CONFIDENCE). */
  sure: WerCheck;
  /** Which check decided: 'sure', or 'all' when fewer than MIN_SURE_WORDS were sure. */
  judgedOn: KeepCheck;
  /**
   * Held-out WER against the manifest's own transcripts, over the held-out pieces that are whole
   * files with one (a scripted or benchmark run; the app's recordings have none). Never decides.
   */
  truth: WerCheck | null;
  holdoutWords: number;
  holdoutSeconds: number;
  trainSeconds: number;
  audioSeconds: number;
  speechSeconds: number;
  /** The last training run (with rotating splits: the one on all the audio, which the profile holds). */
  training: TrainReport;
  /** Train/held-out splits the gain was pooled over (1: one 20 % held out). */
  splits: number;
  /** Wall-clock seconds: whole job, and its phases. */
  seconds: { total: number; reading: number; training: number; measuring: number };
  baseModelVersion: string;
  /** The student's spike lag behind the teacher on this audio (frames; negative: earlier), and whether the targets were moved by it. */
  spikeLag: { frames: number; aligned: boolean };
}

interface FileData {
  row: ManifestRow;
  features: FeatureBlock;
  /** Output frames (20 ms): ceil(feature frames / 2). */
  frames: number;
  teacher: Float32Array;
  base: Float32Array;
  front: Float32Array;
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AdaptCancelled();
}

/** Progress as a fraction of estimated work, with an ETA from measured rates. */
class ProgressTracker {
  private readonly t0 = performance.now();
  private last = 0;
  readingLeft = 0;
  trainingLeft = 0;
  measuringLeft = 0;

  constructor(private readonly cb?: (p: AdaptProgress) => void) {}

  elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  report(phase: AdaptProgress['phase'], detail: string, known = true): void {
    if (!this.cb) return;
    const elapsed = this.elapsed();
    const left = Math.max(0, this.readingLeft + this.trainingLeft + this.measuringLeft);
    const fraction = Math.max(this.last, Math.min(1, elapsed / Math.max(elapsed + left, 1e-9)));
    this.last = fraction;
    this.cb({ phase, fraction, etaSeconds: known ? Math.round(left) : null, detail });
  }
}

/** Adapt the student's gates to the given audio; saves profile `name` only if the held-out check improved. */
export async function adaptToProfile(opts: AdaptOptions): Promise<AdaptResult> {
  const name = checkProfileName(opts.name);
  const holdout = opts.holdout ?? 0.2;
  if (!(holdout >= 0.05 && holdout <= 0.5)) throw new AdaptError(`--holdout must be between 0.05 and 0.5, not ${holdout}`);
  if (opts.rows.length === 0) throw new AdaptError('no audio to adapt on');
  const settings: TrainSettings = { ...DEFAULT_TRAINING, ...opts.training };
  const minSpeech = opts.minSpeechSeconds ?? 30;
  const declared = opts.rows.reduce((s, r) => s + r.durationSeconds, 0);
  if (declared > 0 && declared < minSpeech) throw new AdaptError(`only ${declared.toFixed(1)} s of audio; adaptation needs at least ${minSpeech} s of speech`);
  const { signal } = opts;
  const progress = new ProgressTracker(opts.onProgress);

  const studentPath = opts.studentPath ?? NAMED_MODELS.student.path;
  const teacherPath = opts.teacherPath ?? NAMED_MODELS.teacher.path;
  const weightsPath = opts.weightsPath ?? studentPath.replace(/\.onnx$/, '') + '.safetensors';
  const studentBytes = await readModelBytes(studentPath, 'student');
  const studentVersion = onnxVersion(studentBytes, studentPath);
  const weights = await readStudentWeights(weightsPath);
  checkWeightsMatchModel(weights, weightsPath, studentBytes, studentPath, studentVersion);
  const teacherBytes = await readModelBytes(teacherPath, 'teacher');
  const studentSha = sha256Hex(studentBytes);
  const teacherSha = sha256Hex(teacherBytes);
  const store = opts.teacherPasses === undefined ? fileTeacherPassStore() : opts.teacherPasses;
  const threads = opts.threads ?? 1;

  const tf = await loadTf();
  const model = new HdnnModel(tf, weights);
  const student = await loadModel(studentPath, { provider: 'cpu', threads });
  let teacher: LoadedModel | null = null;
  try {
    // 1. Read everything once.
    const files: FileData[] = [];
    let audioDone = 0;
    const audioTotal = Math.max(declared, 1);
    for (const row of opts.rows) {
      checkAbort(signal);
      const audioBytes = await readFile(row.audio).catch(() => null);
      const samples = await decodeAudioFile(row.audio);
      const features = extractLogMel(samples);
      if (features.frames === 0) continue;
      const key = audioBytes ? teacherPassKey(teacherSha, sha256Hex(audioBytes)) : null;
      let teacherLp = key && store ? await store.get(key) : null;
      const frames = Math.ceil(features.frames / 2);
      if (!teacherLp || teacherLp.length !== frames * NUM_CLASSES) {
        teacher ??= await loadModel(teacherPath, { provider: 'cpu', threads });
        teacherLp = await runWhole(teacher, features);
        if (key && store) await store.put(key, teacherLp);
      } else {
        log.info(`reusing the stored teacher pass for ${row.id}`);
      }
      const base = await runWhole(student, features);
      const front = model.frontend(features.data, features.frames);
      files.push({ row, features, frames, teacher: teacherLp, base, front });
      audioDone += samples.length / 16000;
      const rate = progress.elapsed() / audioDone;
      progress.readingLeft = rate * Math.max(0, audioTotal - audioDone);
      const splits = foldsFor(audioTotal, holdout, opts.rotateBelowSeconds);
      const runs = splits > 1 ? splits + 1 : 1;
      progress.trainingLeft = runs * Math.min(settings.timeBudgetSeconds, estimateTrainSeconds(model, audioTotal * (1 - holdout), settings.epochs));
      progress.measuringLeft = 0.15 * rate * audioTotal * holdout;
      progress.report('reading', `read ${files.length}/${opts.rows.length} files`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const readingSeconds = progress.elapsed();
    const audioSeconds = files.reduce((s, f) => s + f.features.frames / 100, 0);
    const speechSeconds = Math.min(audioSeconds, files.reduce((s, f) => s + speechFrames(f.teacher, f.frames), 0) * FRAME_SECONDS);
    if (speechSeconds < minSpeech) {
      throw new AdaptError(`only ${speechSeconds.toFixed(1)} s of speech in ${audioSeconds.toFixed(1)} s of audio; adaptation needs at least ${minSpeech} s of speech`);
    }

    // 2. Split: one 20 % held out, or for a short recording a 20 % that rotates over all of it.
    const folds = splitFolds(files.map((f) => f.frames), holdout, foldsFor(audioSeconds, holdout, opts.rotateBelowSeconds));
    const allPieces = [...folds[0].train, ...folds[0].holdout];
    const span = (ps: readonly Piece[]): number => ps.reduce((s, p) => s + p.to - p.from, 0);
    const rotating = folds.length > 1;
    const trainSeconds = span(rotating ? allPieces : folds[0].train) * FRAME_SECONDS;
    const holdoutSeconds = span(folds.flatMap((f) => f.holdout)) * FRAME_SECONDS;

    // The teacher and the student each decoded with the LM settings tuned for that model.
    const decodeTeacher = createDecoder({ lm: opts.lm ?? true, modelPath: teacherPath });
    const decode = createDecoder({ lm: opts.lm ?? true, modelPath: studentPath });

    // 3. Targets on the student's spike timing: the teacher's frames moved by the measured lag,
    // and its words (the moved frames decode to the same words, moved).
    const lag = medianLag(files.map((f) => bestLag(f.base, f.teacher, f.frames)));
    log.info(`the student fires ${Math.abs(lag)} frames ${lag < 0 ? 'before' : 'after'} the teacher on this audio${settings.alignSpikes ? '; targets moved by it' : ''}`);
    const targets = files.map((f) => (settings.alignSpikes ? alignTeacher(f.teacher, f.frames, lag) : f.teacher));
    const words = new Map<Piece, Word[]>();
    if (settings.seqWeight > 0) for (const p of allPieces) words.set(p, pieceWords(decodeTeacher, targets[p.file], p));
    const baseGates = model.gateValues();
    progress.readingLeft = 0;
    const runs = folds.length + (rotating ? 1 : 0);
    const perRun = (pieces: readonly Piece[]): number => Math.min(settings.timeBudgetSeconds, estimateTrainSeconds(model, span(pieces) * FRAME_SECONDS, settings.epochs));
    let runsLeft = runs;
    let training: TrainReport | null = null;
    let trainingSeconds = 0;
    const train = async (pieces: readonly Piece[], label: string): Promise<TrainReport> => {
      model.setGates(baseGates);
      const chunks = buildChunks(model, files, targets, pieces, settings.seqWeight > 0 ? pieces.map((p) => words.get(p) ?? []) : null, settings);
      runsLeft--;
      const t0 = performance.now();
      const report = await trainGates(tf, model, chunks, {
        tau: settings.tau,
        lr: settings.lr,
        l2: settings.l2,
        frameWeight: settings.frameWeight,
        seqWeight: settings.seqWeight,
        epochs: settings.epochs,
        batchFrames: settings.batchFrames,
        timeBudgetSeconds: settings.timeBudgetSeconds,
        seed: settings.seed,
        signal,
        onStep: (st) => {
          const perStep = st.elapsedSeconds / st.step;
          const thisLeft = Math.min(settings.timeBudgetSeconds - st.elapsedSeconds, perStep * (st.totalSteps - st.step));
          progress.trainingLeft = thisLeft + runsLeft * Math.max(0, st.elapsedSeconds + thisLeft);
          progress.report('training', `${label}epoch ${st.epoch + 1}/${settings.epochs}, step ${st.step}/${st.totalSteps}, KL ${st.kl.toFixed(4)}`);
        },
      });
      trainingSeconds += (performance.now() - t0) / 1000;
      return report;
    };
    progress.trainingLeft = runs * perRun(folds[0].train);

    // 4. Per split: train on its training part, then measure base and adapted student against the
    // teacher's transcript on its held-out part, the adapted model built exactly as a profile is applied.
    const meta: ProfileMeta = {
      name,
      baseModelVersion: studentVersion,
      baseModelSha256: studentSha,
      createdAt: new Date().toISOString(),
      sources: files.map((f) => ({ id: f.row.id, audio: f.row.audio, seconds: Math.round(f.features.frames) / 100 })),
      gain: { werBefore: 0, werAfter: 0, holdoutWords: 0, holdoutSeconds, trainSeconds, speechSeconds, splits: folds.length },
    };
    let baseCounts: ErrorCounts = ZERO_COUNTS;
    let adaptedCounts: ErrorCounts = ZERO_COUNTS;
    let measuringSeconds = 0;
    let sureBase: ErrorCounts = ZERO_COUNTS;
    let sureAdapted: ErrorCounts = ZERO_COUNTS;
    let truth = { before: ZERO_COUNTS, after: ZERO_COUNTS };
    for (const [i, split] of folds.entries()) {
      checkAbort(signal);
      training = await train(split.train, rotating ? `split ${i + 1}/${folds.length}: ` : '');
      checkAbort(signal);
      progress.report('measuring', rotating ? `measuring split ${i + 1}/${folds.length}` : 'measuring on the held-out audio');
      const tMeasure = performance.now();
      const references = split.holdout.map((p) => pieceWords(decodeTeacher, files[p.file].teacher, p));
      const baseHyp = split.holdout.map((p) => pieceText(decode, files[p.file].base, p));
      const adaptedLp = await runAdapted(studentPath, threads, { meta, gates: model.gateValues(), path: '' }, files, split.holdout, signal);
      const adaptedHyp = split.holdout.map((p) => pieceText(decode, adaptedLp.get(p.file)!, p));
      baseCounts = addCounts(baseCounts, score(references, baseHyp));
      adaptedCounts = addCounts(adaptedCounts, score(references, adaptedHyp));
      sureBase = addCounts(sureBase, score(references, baseHyp, SURE_CONFIDENCE));
      sureAdapted = addCounts(sureAdapted, score(references, adaptedHyp, SURE_CONFIDENCE));
      truth = truthOf(truth, split.holdout.map((p) => transcriptOf(files[p.file], p)), baseHyp, adaptedHyp);
      measuringSeconds += (performance.now() - tMeasure) / 1000;
    }
    // With rotating splits the profile is trained on all the audio; the pooled splits measured its gain.
    if (rotating) training = await train(allPieces, 'all the audio: ');
    progress.trainingLeft = 0;
    progress.measuringLeft = 0;
    checkAbort(signal);
    const gates = model.gateValues();
    const werBefore = wordErrorRate(baseCounts);
    const werAfter = wordErrorRate(adaptedCounts);
    const sure: WerCheck = { werBefore: wordErrorRate(sureBase), werAfter: wordErrorRate(sureAdapted), words: sureBase.referenceWords };
    const judgedOn: KeepCheck = sure.words >= MIN_SURE_WORDS ? 'sure' : 'all';
    meta.gain = { ...meta.gain, werBefore, werAfter, holdoutWords: baseCounts.referenceWords, sure, judgedOn };

    // 5. Save only if it helped: on the words the teacher is sure of, or on all its words when too few.
    let profilePath: string | null = null;
    let notSavedReason: string | null = null;
    let notHelpedReason: string | null = null;
    const [judgedBefore, judgedAfter] = judgedOn === 'sure' ? [sure.werBefore, sure.werAfter] : [werBefore, werAfter];
    if (baseCounts.referenceWords === 0) notHelpedReason = 'the teacher heard no words in the held-out audio, so the gain cannot be measured';
    else if (!(judgedAfter < judgedBefore)) {
      notHelpedReason = judgedOn === 'sure'
        ? `the held-out WER on the ${sure.words} words the teacher is sure of did not improve (${judgedBefore.toFixed(2)}% → ${judgedAfter.toFixed(2)}%)`
        : `the held-out WER did not improve (${judgedBefore.toFixed(2)}% → ${judgedAfter.toFixed(2)}%)`;
    }
    if (notHelpedReason && !(opts.keepRegardless && baseCounts.referenceWords > 0)) notSavedReason = notHelpedReason;
    else {
      checkAbort(signal);
      progress.report('saving', 'saving the profile');
      profilePath = await saveProfile(meta, gates, opts.profilesDir ?? profilesDir());
    }
    if (notSavedReason) log.info(`profile '${name}' not saved: ${notSavedReason}`);
    progress.report(profilePath ? 'saving' : 'measuring', profilePath ? `saved ${profilePath}` : 'done; nothing saved');
    return {
      name,
      profilePath,
      notSavedReason,
      notHelpedReason,
      werBefore,
      werAfter,
      errors: { before: baseCounts, after: adaptedCounts },
      sure,
      judgedOn,
      truth: truth.before.referenceWords > 0 ? { werBefore: wordErrorRate(truth.before), werAfter: wordErrorRate(truth.after), words: truth.before.referenceWords } : null,
      holdoutWords: baseCounts.referenceWords,
      holdoutSeconds,
      trainSeconds,
      audioSeconds,
      speechSeconds,
      training: training!,
      splits: folds.length,
      seconds: { total: progress.elapsed(), reading: readingSeconds, training: trainingSeconds, measuring: measuringSeconds },
      baseModelVersion: studentVersion,
      spikeLag: { frames: lag, aligned: settings.alignSpikes },
    };
  } finally {
    model.dispose();
    await student.session.release();
    if (teacher) await teacher.session.release();
  }
}

/**
 * Training chunks over the training pieces: up to chunkFrames loss frames, each with its receptive
 * field of warm-up context. With the teacher's words (one list per piece), a cut that falls inside
 * a word moves to that word's nearer edge, and each chunk carries the words centred in it as its
 * sequence-level labels.
 */
function buildChunks(model: HdnnModel, files: readonly FileData[], teacher: readonly Float32Array[], pieces: readonly Piece[], words: readonly Word[][] | null, s: TrainSettings): DistillChunk[] {
  const d = model.config.d;
  const chunks: DistillChunk[] = [];
  pieces.forEach((p, pi) => {
    const f = files[p.file];
    const spans = (words?.[pi] ?? []).map((w) => ({ text: w.text, from: w.start / FRAME_SECONDS, to: w.end / FRAME_SECONDS }));
    const n = Math.max(1, Math.ceil((p.to - p.from) / s.chunkFrames));
    const cuts = [p.from];
    for (let i = 1; i < n; i++) cuts.push(Math.max(cuts[i - 1] + 1, snapToWordEdge(p.from + Math.round((i * (p.to - p.from)) / n), spans)));
    cuts.push(p.to);
    for (let i = 0; i < n; i++) {
      const a = cuts[i];
      const b = Math.min(p.to, cuts[i + 1]);
      if (b <= a) continue;
      // Student output row r is teacher frame r - delay; rows before `a + delay` only warm up.
      const first = a + model.delay;
      const from = Math.max(0, first - model.receptiveField);
      const to = b + model.delay;
      const target = temperedTarget(teacher[p.file].subarray(a * NUM_CLASSES, b * NUM_CLASSES), b - a, s.tau, f.base.subarray(a * NUM_CLASSES, b * NUM_CLASSES), s.baseWeight);
      const labels = words ? textToSymbols(spans.filter((w) => (w.from + w.to) / 2 >= a && (w.from + w.to) / 2 < b).map((w) => w.text).join(' ')) : undefined;
      chunks.push({ h0: f.front.slice(from * d, to * d), rows: to - from, context: first - from, target, labels });
    }
  });
  return chunks;
}

/** A cut inside a word moves to the word's nearer edge. */
function snapToWordEdge(cut: number, spans: readonly { from: number; to: number }[]): number {
  const inside = spans.find((w) => w.from < cut && cut < w.to);
  if (!inside) return cut;
  return cut - inside.from <= inside.to - cut ? Math.floor(inside.from) : Math.ceil(inside.to);
}

/** A rough prior for the ETA before training has run: ~0.6 ms per frame-epoch at d=256 × 10 layers on one core. */
function estimateTrainSeconds(model: HdnnModel, trainAudioSeconds: number, epochs: number): number {
  const scale = (model.config.d / 256) ** 2 * (model.config.layers / 10);
  return (trainAudioSeconds / FRAME_SECONDS) * epochs * 0.6e-3 * scale;
}

/** The words decoded from one piece of a file's log-probs; times in seconds from the start of the file. */
function pieceWords(decoder: StreamDecoder, logprobs: Float32Array, p: Piece): Word[] {
  decoder.reset(p.from);
  decoder.push(logprobs.subarray(p.from * NUM_CLASSES, p.to * NUM_CLASSES), p.to - p.from);
  return decoder.finalize();
}

function pieceText(decoder: StreamDecoder, logprobs: Float32Array, p: Piece): string {
  return pieceWords(decoder, logprobs, p).map((w) => w.text).join(' ');
}

/** The adapted student's log-probs on the files the pieces come from. */
async function runAdapted(studentPath: string, threads: number, candidate: Profile, files: readonly FileData[], pieces: readonly Piece[], signal?: AbortSignal): Promise<Map<number, Float32Array>> {
  const adapted = await loadModel(studentPath, { provider: 'cpu', threads, patch: async (bytes, info) => ({ bytes: patchWithProfile(bytes, info, candidate), label: 'adapted' }) });
  const out = new Map<number, Float32Array>();
  try {
    for (const p of pieces) {
      checkAbort(signal);
      if (!out.has(p.file)) out.set(p.file, await runWhole(adapted, files[p.file].features));
    }
  } finally {
    await adapted.session.release();
  }
  return out;
}

/** Errors against the teacher's words; with `minConfidence`, only on the words it is at least that sure of. */
function score(references: readonly Word[][], hypotheses: readonly string[], minConfidence?: number): ErrorCounts {
  return references.reduce((acc, ws, i) => {
    const counted = minConfidence === undefined ? undefined : ws.map((w) => w.confidence >= minConfidence);
    return addCounts(acc, alignWords(ws.map((w) => w.text).join(' '), hypotheses[i], counted));
  }, ZERO_COUNTS);
}

/** A piece's own transcript: only when the piece is a whole file whose manifest row has one. */
function transcriptOf(f: FileData, p: Piece): string | null {
  return p.from === 0 && p.to === f.frames && f.row.text ? f.row.text : null;
}

/** Pools the errors against the manifest's transcripts, over the held-out pieces that have one. */
function truthOf(acc: { before: ErrorCounts; after: ErrorCounts }, texts: readonly (string | null)[], base: readonly string[], adapted: readonly string[]): { before: ErrorCounts; after: ErrorCounts } {
  return texts.reduce((a, t, i) => (t === null ? a : { before: addCounts(a.before, alignWords(t, base[i])), after: addCounts(a.after, alignWords(t, adapted[i])) }), acc);
}

/**
 * Whether the models adaptation needs are in place, without loading them: resolves when they are,
 * else throws the same ModelError (one line naming the file) that adaptToProfile would.
 */
export async function checkAdaptModels(opts: Pick<AdaptOptions, 'studentPath' | 'teacherPath' | 'weightsPath'> = {}): Promise<void> {
  const studentPath = opts.studentPath ?? NAMED_MODELS.student.path;
  const teacherPath = opts.teacherPath ?? NAMED_MODELS.teacher.path;
  const weightsPath = opts.weightsPath ?? studentPath.replace(/\.onnx$/, '') + '.safetensors';
  for (const [path, role] of [[studentPath, 'student'], [weightsPath, 'student weights (.safetensors)'], [teacherPath, 'teacher']] as const) {
    try {
      await access(path, constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ModelError(path, code === 'ENOENT' ? `the ${role} model is not built yet (adaptation needs it)` : `cannot read the ${role} model (${code ?? 'error'})`, { cause: err });
    }
  }
}

async function readModelBytes(path: string, role: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelError(path, code === 'ENOENT' ? `the ${role} model is not built yet (adaptation needs it)` : `cannot read the ${role} model (${code ?? 'error'})`, { cause: err });
  }
}

function onnxVersion(bytes: Uint8Array, path: string): string {
  let meta: Record<string, string>;
  try {
    meta = readOnnxMetadata(bytes);
  } catch (err) {
    throw new ModelError(path, `not a valid ONNX model (${(err as Error).message})`, { cause: err });
  }
  if (!meta.model_version) throw new ModelError(path, "missing metadata 'model_version': not a Hushscribe model");
  return meta.model_version;
}

async function readStudentWeights(path: string): Promise<StudentWeights> {
  const bytes = await readModelBytes(path, 'student weights (.safetensors)');
  try {
    return studentWeightsFrom(readSafetensors(bytes));
  } catch (err) {
    throw new ModelError(path, `not usable student weights (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/** The safetensors must be the same model as the ONNX: same version and the same gate values. */
function checkWeightsMatchModel(weights: StudentWeights, weightsPath: string, onnxBytes: Uint8Array, onnxPath: string, onnxVersionValue: string): void {
  if (weights.version !== onnxVersionValue) throw new ModelError(weightsPath, `is model ${weights.version}, but ${onnxPath} is ${onnxVersionValue}`);
  let refs;
  try {
    refs = gateInitializers(onnxBytes);
  } catch (err) {
    throw new AdaptError(`${onnxPath}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  for (const name of GATE_PARAMS) {
    const ref = refs.get(name)!;
    const inOnnx = readInitializer(onnxBytes, ref);
    const inWeights = weights.tensors.get(name)!.data;
    const tol = ref.type === 'float16' ? 2e-3 : 1e-6;
    const same = inOnnx.length === inWeights.length && inOnnx.every((v, i) => Math.abs(v - inWeights[i]) <= tol * Math.max(1, Math.abs(v)));
    if (!same) throw new ModelError(weightsPath, `its '${name}' differs from ${onnxPath}: the two files are not the same student`);
  }
}
