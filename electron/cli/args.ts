import { HushError } from '../core/errors.js';
import { parseProvider } from '../core/inference/index.js';
import type { ProviderChoice } from '../core/transcribe/types.js';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * `--name value`, `--name=value` and boolean `--flag`. Unknown flags are refused
 * with one line, so a typo never silently runs with defaults.
 */
export function parseArgs(argv: string[], valued: readonly string[], booleans: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (booleans.includes(name)) { flags.set(name, true); continue; }
    if (!valued.includes(name)) throw new HushError('usage', `unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new HushError('usage', `--${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new HushError('usage', `--${name} must be one of ${allowed.join(', ')}, not '${value}'`);
}

/** The transcriber options every transcribing command shares, checked (threads must be a whole number ≥ 1). */
export function transcriberFlags(args: ParsedArgs): { model?: string; lm: boolean; provider: ProviderChoice; threads: number; profile?: string } {
  const threads = Number(stringFlag(args, 'threads') ?? '1');
  if (!Number.isInteger(threads) || threads < 1) throw new HushError('usage', `--threads must be a whole number of at least 1, not '${stringFlag(args, 'threads')}'`);
  return {
    model: stringFlag(args, 'model'),
    lm: !args.flags.has('no-lm'),
    provider: parseProvider(stringFlag(args, 'provider') ?? 'auto'),
    threads,
    profile: stringFlag(args, 'profile'),
  };
}
