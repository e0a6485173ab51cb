/**
 * THE channel map. Every door (Electron preload/main, the WebSocket server, the renderer's client,
 * the transcriber worker) imports these names, payload types and validators, and nothing else.
 *
 * - `requests`: request/response pairs (renderer → host).
 * - `events`: streams pushed host → renderer.
 * - Audio frames go on their own fast path (see wire.ts: `AudioFrame`), validated there.
 * - `workerRequests`: the typed RPC between the host and the transcriber worker.
 */
import { s, type Infer, type Schema } from './schema.js';

const MAX_TEXT = 10_000;
const id = s.string({ max: 100 });

// ---------- shared payload shapes ----------
export const WordSchema = s.object({
  text: s.string({ max: 200 }),
  start: s.number({ min: 0 }),
  end: s.number({ min: 0 }),
  confidence: s.number({ min: 0, max: 1 }),
});

export const SegmentSchema = s.object({
  start: s.number({ min: 0 }),
  end: s.number({ min: 0 }),
  text: s.string({ max: MAX_TEXT }),
  words: s.array(WordSchema, { max: 5000 }),
});

/** Channel 0 is the microphone ('You'), channel 1 the system audio ('Others'). */
export const ChannelSchema = s.literal(0, 1);
export type AudioChannel = Infer<typeof ChannelSchema>;
export const CHANNEL_LABELS: Record<AudioChannel, string> = { 0: 'You', 1: 'Others' };

/** A final segment as stored on disk and in the renderer's library. */
export const StoredSegmentSchema = s.object({
  sessionId: id,
  channel: ChannelSchema,
  start: s.number({ min: 0 }),
  end: s.number({ min: 0 }),
  text: s.string({ max: MAX_TEXT }),
  words: s.array(WordSchema, { max: 5000 }),
  /** True once the user changed the text. */
  edited: s.optional(s.boolean()),
  /** An edited segment kept through the high-accuracy pass whose text differs from the pass's. */
  flagged: s.optional(s.boolean()),
  /** What the high-accuracy pass heard over a flagged segment's span. */
  highAccuracyText: s.optional(s.string({ max: MAX_TEXT })),
});

export const SessionStateSchema = s.literal('recording', 'paused', 'done', 'recovered', 'imported');

export const SessionMetaSchema = s.object({
  id,
  title: s.string({ max: 300 }),
  /** ms since epoch */
  createdAt: s.number(),
  durationS: s.number({ min: 0 }),
  state: SessionStateSchema,
  channels: s.array(ChannelSchema, { max: 2 }),
  /** Where the audio came from for imports (file name). */
  source: s.optional(s.string({ max: 500 })),
  /** The adaptation profile this session was transcribed live with; absent: the base model. */
  profile: s.optional(s.string({ max: 64 })),
});

/** 'auto': the student once built, else the teacher, else the digits fixture. */
export const ModelSettingSchema = s.literal('auto', 'student', 'teacher', 'fixture');
export const ProviderSettingSchema = s.literal('auto', 'cpu', 'gpu');

export const SettingsSchema = s.object({
  inputDeviceId: s.string({ max: 500 }),
  captureSystemAudio: s.boolean(),
  model: ModelSettingSchema,
  provider: ProviderSettingSchema,
  recordOnly: s.boolean(),
  storageDir: s.string({ max: 2000 }),
  /** Re-transcribe each recording with the teacher after stop (only when the teacher is installed). */
  highAccuracyPass: s.boolean(),
  /** Whether the "Adapt to a speaker or room" feature is switched on (off by default). */
  adaptEnabled: s.boolean(),
  /** The adaptation profile applied to live transcription; '' = the base model. */
  adaptProfile: s.string({ max: 64 }),
});

export const SettingsPatchSchema = s.object({
  inputDeviceId: s.optional(s.string({ max: 500 })),
  captureSystemAudio: s.optional(s.boolean()),
  model: s.optional(ModelSettingSchema),
  provider: s.optional(ProviderSettingSchema),
  recordOnly: s.optional(s.boolean()),
  storageDir: s.optional(s.string({ max: 2000 })),
  highAccuracyPass: s.optional(s.boolean()),
  adaptEnabled: s.optional(s.boolean()),
  adaptProfile: s.optional(s.string({ max: 64 })),
});

export const TranscriberStatusSchema = s.object({
  state: s.literal('off', 'loading', 'ready', 'unavailable', 'restarting', 'error'),
  message: s.string({ max: 1000 }),
  /** The execution provider actually in use ('' until known). */
  provider: s.string({ max: 50 }),
  model: s.string({ max: 200 }),
});

export const CaptureStateSchema = s.object({
  sessionId: s.nullable(id),
  state: s.literal('idle', 'recording', 'paused'),
  durationS: s.number({ min: 0 }),
});

const empty = s.object({});

/** A profile name: a plain file-name stem (the core checks the exact pattern). */
const profileName = s.string({ max: 64 });

/** Whether the high-accuracy pass can run here, and why not. */
export const HighAccuracyInfoSchema = s.object({
  available: s.boolean(),
  /** One line for the UI, e.g. 'teacher model not installed'. */
  message: s.string({ max: 1000 }),
});

export const HighAccuracyProgressSchema = s.object({
  sessionId: id,
  /** 0..1 */
  fraction: s.number({ min: 0, max: 1 }),
  stage: s.literal('running', 'done', 'failed'),
  /** On 'done': segments now in the session, and edited ones kept but flagged. */
  segments: s.optional(s.number({ int: true, min: 0 })),
  flagged: s.optional(s.number({ int: true, min: 0 })),
  error: s.optional(s.string({ max: 1000 })),
});

/** The held-out WER on the teacher's words it is sure of: the check that keeps a profile when there are enough of them. */
export const SureWerSchema = s.object({
  werBefore: s.number({ min: 0 }),
  werAfter: s.number({ min: 0 }),
  words: s.number({ int: true, min: 0 }),
});

export const AdaptProfileInfoSchema = s.object({
  name: profileName,
  createdAt: s.string({ max: 100 }),
  baseModelVersion: s.string({ max: 200 }),
  werBefore: s.number({ min: 0 }),
  werAfter: s.number({ min: 0 }),
  /** Absent for profiles made before the check on sure words. */
  sure: s.optional(SureWerSchema),
  sources: s.number({ int: true, min: 0 }),
});

export const AdaptResultSchema = s.object({
  name: profileName,
  werBefore: s.number({ min: 0 }),
  werAfter: s.number({ min: 0 }),
  sure: SureWerSchema,
  /** Which WER decided: on the sure words, or on all the teacher's words when too few were sure. */
  judgedOn: s.literal('sure', 'all'),
  /** False: it did not help and nothing was saved. */
  kept: s.boolean(),
  notSavedReason: s.nullable(s.string({ max: 1000 })),
});

export const AdaptProgressSchema = s.object({
  jobId: id,
  stage: s.literal('reading', 'training', 'measuring', 'saving', 'done', 'failed', 'cancelled'),
  /** 0..1 */
  fraction: s.number({ min: 0, max: 1 }),
  etaSeconds: s.nullable(s.number({ min: 0 })),
  detail: s.string({ max: 1000 }),
  result: s.optional(AdaptResultSchema),
  error: s.optional(s.string({ max: 1000 })),
});

// ---------- renderer ↔ host ----------
/** One request channel: its request and response schemas. */
export interface ChannelSpec {
  req: Schema<unknown>;
  res: Schema<unknown>;
}

export const requests = {
  'app.info': {
    req: empty,
    res: s.object({
      version: s.string(),
      mode: s.literal('electron', 'browser'),
      platform: s.string(),
      /** Whether system audio can be captured as a second channel here. */
      loopback: s.boolean(),
      dataDir: s.string(),
    }),
  },
  'settings.get': { req: empty, res: SettingsSchema },
  'settings.set': { req: SettingsPatchSchema, res: SettingsSchema },
  'capture.start': {
    req: s.object({
      title: s.string({ max: 300 }),
      channels: s.array(ChannelSchema, { max: 2 }),
      /** Adaptation profile for this session only ('' = the base model); absent: the one applied globally. */
      profile: s.optional(s.string({ max: 64 })),
    }),
    res: SessionMetaSchema,
  },
  'capture.pause': { req: empty, res: CaptureStateSchema },
  'capture.resume': { req: empty, res: CaptureStateSchema },
  'capture.stop': { req: empty, res: SessionMetaSchema },
  'capture.state': { req: empty, res: CaptureStateSchema },
  'transcriber.status': { req: empty, res: TranscriberStatusSchema },
  'library.list': { req: empty, res: s.array(SessionMetaSchema, { max: 100_000 }) },
  'library.segments': { req: s.object({ sessionId: id }), res: s.array(StoredSegmentSchema, { max: 1_000_000 }) },
  'library.rename': { req: s.object({ sessionId: id, title: s.string({ max: 300 }) }), res: SessionMetaSchema },
  'library.delete': { req: s.object({ sessionId: id }), res: s.object({ deleted: s.boolean() }) },
  'library.saveSegments': {
    req: s.object({ sessionId: id, segments: s.array(StoredSegmentSchema, { max: 1_000_000 }) }),
    res: s.object({ saved: s.number() }),
  },
  'library.import': {
    req: s.object({ importId: id, name: s.string({ max: 500 }), bytes: s.bytes({ max: 2_000_000_000 }) }),
    res: SessionMetaSchema,
  },
  'highAccuracy.info': { req: empty, res: HighAccuracyInfoSchema },
  /**
   * Re-transcribe a session with the teacher, in a background process; progress and completion come
   * as 'highAccuracy.progress'. `model` 'fixture' exists for tests (the plumbing without the teacher).
   */
  'highAccuracy.start': {
    req: s.object({ sessionId: id, model: s.optional(s.literal('teacher', 'fixture')) }),
    res: s.object({ started: s.boolean() }),
  },
  /** Whether adaptation can run here: '' when it can, else the core's one-line reason. */
  'adapt.check': { req: empty, res: s.object({ ready: s.boolean(), message: s.string({ max: 1000 }) }) },
  /** Adapt on recorded or imported sessions, in a low-priority background process; see 'adapt.progress'. */
  'adapt.start': {
    req: s.object({ jobId: id, name: profileName, sessionIds: s.array(id, { max: 1000 }) }),
    res: s.object({ started: s.boolean() }),
  },
  'adapt.cancel': { req: s.object({ jobId: id }), res: s.object({ cancelled: s.boolean() }) },
  'adapt.profiles': { req: empty, res: s.object({ profiles: s.array(AdaptProfileInfoSchema, { max: 10_000 }), active: s.string({ max: 64 }) }) },
  /** Apply a profile to live transcription; '' reverts to the base model. */
  'adapt.apply': { req: s.object({ name: s.string({ max: 64 }) }), res: SettingsSchema },
  'adapt.delete': { req: s.object({ name: profileName }), res: s.object({ deleted: s.boolean() }) },
} satisfies Record<string, ChannelSpec>;

export const events = {
  'transcript.update': s.object({
    sessionId: id,
    channel: ChannelSchema,
    finals: s.array(StoredSegmentSchema),
    partial: s.nullable(SegmentSchema),
  }),
  'capture.state': CaptureStateSchema,
  'transcriber.status': TranscriberStatusSchema,
  'import.progress': s.object({
    importId: id,
    name: s.string(),
    /** 0..1 */
    fraction: s.number({ min: 0, max: 1 }),
    stage: s.literal('decoding', 'transcribing', 'done', 'failed'),
    sessionId: s.optional(id),
    error: s.optional(s.string()),
  }),
  /** Sessions changed on the host side (recovered, imported, transcription finished). */
  'library.changed': s.object({ sessionIds: s.array(id) }),
  'highAccuracy.progress': HighAccuracyProgressSchema,
  'adapt.progress': AdaptProgressSchema,
} satisfies Record<string, Schema<unknown>>;

export type RequestChannel = keyof typeof requests;
export type EventChannel = keyof typeof events;
export type RequestOf<C extends RequestChannel> = Infer<(typeof requests)[C]['req']>;
export type ResponseOf<C extends RequestChannel> = Infer<(typeof requests)[C]['res']>;
export type EventOf<C extends EventChannel> = Infer<(typeof events)[C]>;

export type Settings = Infer<typeof SettingsSchema>;
export type SettingsPatch = Infer<typeof SettingsPatchSchema>;
export type SessionMeta = Infer<typeof SessionMetaSchema>;
export type StoredSegment = Infer<typeof StoredSegmentSchema>;
export type TranscriberStatus = Infer<typeof TranscriberStatusSchema>;
export type CaptureState = Infer<typeof CaptureStateSchema>;
export type WirePayloadSegment = Infer<typeof SegmentSchema>;
export type AdaptProfileInfo = Infer<typeof AdaptProfileInfoSchema>;
export type AdaptProgressEvent = Infer<typeof AdaptProgressSchema>;
export type HighAccuracyProgress = Infer<typeof HighAccuracyProgressSchema>;

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

// ---------- host ↔ transcriber worker ----------
export const workerRequests = {
  init: {
    req: s.object({
      model: s.string({ max: 500 }),
      provider: s.string({ max: 20 }),
      lm: s.boolean(),
      threads: s.number({ int: true, min: 1, max: 64 }),
      /** Adaptation profile name applied at load. */
      profile: s.optional(s.string({ max: 64 })),
    }),
    /** warnings: load problems the user must see, e.g. an adaptation profile that was ignored (the base model runs). */
    res: s.object({ provider: s.string(), modelName: s.string(), warnings: s.array(s.string({ max: 1000 }), { max: 20 }) }),
  },
  /** 16 kHz mono Int16 little-endian PCM for one stream; times in the update are stream-relative. */
  push: {
    req: s.object({ stream: s.number({ int: true, min: 0 }), pcm: s.bytes({ max: 64_000_000 }) }),
    res: s.object({ finals: s.array(SegmentSchema), partial: s.nullable(SegmentSchema) }),
  },
  finish: {
    req: s.object({ stream: s.number({ int: true, min: 0 }) }),
    res: s.object({ finals: s.array(SegmentSchema), partial: s.nullable(SegmentSchema) }),
  },
  /** Decode any audio file to a 16 kHz mono WAV at outWav (imports). */
  decode: {
    req: s.object({ path: s.string({ max: 4000 }), outWav: s.string({ max: 4000 }) }),
    res: s.object({ durationS: s.number({ min: 0 }) }),
  },
} satisfies Record<string, ChannelSpec>;

export type WorkerRequestChannel = keyof typeof workerRequests;
export type WorkerRequestOf<C extends WorkerRequestChannel> = Infer<(typeof workerRequests)[C]['req']>;
export type WorkerResponseOf<C extends WorkerRequestChannel> = Infer<(typeof workerRequests)[C]['res']>;

// ---------- host ↔ background job worker (high-accuracy pass, adaptation) ----------
export const jobRequests = {
  /** Transcribe a whole file with a (non-streaming) model; progress as 'highAccuracy' job events. */
  transcribeFile: {
    req: s.object({ path: s.string({ max: 4000 }), model: s.literal('teacher', 'fixture'), threads: s.number({ int: true, min: 1, max: 64 }) }),
    res: s.object({ segments: s.array(SegmentSchema, { max: 1_000_000 }), audioSeconds: s.number({ min: 0 }) }),
  },
  adapt: {
    req: s.object({
      name: profileName,
      rows: s.array(s.object({ id, audio: s.string({ max: 4000 }), durationSeconds: s.number({ min: 0 }) }), { max: 10_000 }),
    }),
    res: AdaptResultSchema,
  },
  /** Whether adaptation's models are in place: '' or the core's message. */
  adaptCheck: { req: empty, res: s.object({ message: s.string({ max: 1000 }) }) },
  cancel: { req: empty, res: s.object({ cancelled: s.boolean() }) },
} satisfies Record<string, ChannelSpec>;

export const jobEvents = {
  'job.fileProgress': s.object({ audioSeconds: s.number({ min: 0 }) }),
  'job.adaptProgress': s.object({
    phase: s.literal('reading', 'training', 'measuring', 'saving'),
    fraction: s.number({ min: 0, max: 1 }),
    etaSeconds: s.nullable(s.number({ min: 0 })),
    detail: s.string({ max: 1000 }),
  }),
} satisfies Record<string, Schema<unknown>>;

export type JobRequestChannel = keyof typeof jobRequests;
export type JobRequestOf<C extends JobRequestChannel> = Infer<(typeof jobRequests)[C]['req']>;
export type JobResponseOf<C extends JobRequestChannel> = Infer<(typeof jobRequests)[C]['res']>;
export type JobEventChannel = keyof typeof jobEvents;
export type JobEventOf<C extends JobEventChannel> = Infer<(typeof jobEvents)[C]>;

export function isJobEventChannel(name: unknown): name is JobEventChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(jobEvents, name);
}
