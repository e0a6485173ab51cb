import { BLANK, NUM_CLASSES, SPACE } from '../symbols.js';

/**
 * Finds pauses in the log-prob stream: a run of frames whose best class is blank or
 * space, after speech. Pure bookkeeping over argmaxes, so it works on any model.
 */
export class Endpointer {
  private silentRun = 0;
  private heardSpeech = false;

  constructor(private readonly pauseFrames = 30) {}

  /**
   * Feed frames; returns the index (within this block) just after which a pause
   * completed, or -1. Only the first pause in a block is reported; the caller splits
   * there and feeds the rest again.
   */
  feed(data: Float32Array, frames: number): number {
    for (let t = 0; t < frames; t++) {
      let best = 0;
      for (let k = 1; k < NUM_CLASSES; k++) if (data[t * NUM_CLASSES + k] > data[t * NUM_CLASSES + best]) best = k;
      if (best === BLANK || best === SPACE) {
        this.silentRun++;
        if (this.heardSpeech && this.silentRun === this.pauseFrames) {
          this.heardSpeech = false;
          return t;
        }
      } else {
        this.silentRun = 0;
        this.heardSpeech = true;
      }
    }
    return -1;
  }

  reset(): void {
    this.silentRun = 0;
    this.heardSpeech = false;
  }
}
