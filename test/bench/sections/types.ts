import type { BenchOptions } from '../options.js';

/** One checked target: MISSED is written with its figure, never hidden. */
export interface TargetCheck {
  target: string;
  figure: string;
  met: boolean;
}

export interface SectionResult {
  title: string;
  /** Markdown under the section's heading. */
  body: string;
  targets: TargetCheck[];
}

export interface BenchContext {
  opts: BenchOptions;
  /** Temporary folder of this run (removed at the end unless --keep-temp). */
  tmp: string;
  /** Progress on stderr. */
  log: (message: string) => void;
}

/** A section that cannot run here still leaves its heading and says why. */
export const skipped = (title: string, why: string): SectionResult => ({ title, body: `_Skipped: ${why}_`, targets: [] });
