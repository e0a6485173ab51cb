/** Gate-only speaker/room adaptation (issue 5): the job, profiles, and applying them at load. */
export { adaptToProfile, checkAdaptModels, DEFAULT_TRAINING, type AdaptOptions, type AdaptProgress, type AdaptResult, type TrainSettings } from './adapt-job.js';
export { applyProfile, profilePatch, type ProfileApplication } from './apply.js';
export { AdaptCancelled, AdaptError, ProfileError } from './errors.js';
export { checkProfileName, deleteProfile, listProfiles, profilesDir, readProfile, type Profile, type ProfileGain, type ProfileMeta, type ProfileSource } from './profile-store.js';
export { fileTeacherPassStore, forgetTeacherPasses, teacherPassRecorder, type TeacherPassStore } from './teacher-pass-store.js';
