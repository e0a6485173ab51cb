/**
 * Errors that carry a message meant for the user. Doors (CLI, UI, server) print
 * `userMessage` alone; the log keeps the stack.
 */
export class HushError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = new.target.name;
  }
}

/** A file that cannot be read, decoded or is in a format we do not take. */
export class AudioError extends HushError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super('audio', `${file}: ${problem}`, options);
  }
}

/** A model file that is missing, corrupt, not built yet, or declares the wrong contract. */
export class ModelError extends HushError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super('model', `${file}: ${problem}`, options);
  }
}

/** A manifest or other tabular input with a bad row. */
export class InputError extends HushError {
  constructor(where: string, problem: string, options?: { cause?: unknown }) {
    super('input', `${where}: ${problem}`, options);
  }
}

/** The one-line message for any thrown value, never a stack. */
export function userMessageOf(err: unknown): string {
  if (err instanceof HushError) return err.userMessage;
  if (err instanceof Error) return err.message.split('\n')[0];
  return String(err);
}
