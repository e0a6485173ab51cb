import { HushError } from '../errors.js';

/** Adaptation cannot run on this input (too little speech, no gates in the model, bad options). */
export class AdaptError extends HushError {
  constructor(problem: string, options?: { cause?: unknown }) {
    super('adapt', problem, options);
  }
}

/** The job was cancelled; nothing was saved. */
export class AdaptCancelled extends HushError {
  constructor() {
    super('cancelled', 'adaptation cancelled; no profile was saved');
  }
}

/** A profile file that is missing, corrupt, or does not belong to the model it is applied to. */
export class ProfileError extends HushError {
  constructor(where: string, problem: string, options?: { cause?: unknown }) {
    super('profile', `${where}: ${problem}`, options);
  }
}
