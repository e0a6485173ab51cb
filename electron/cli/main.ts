import { userMessageOf } from '../core/errors.js';
import { logger } from '../core/log.js';

/** Each command lives in commands/<name>.ts and exports `run(argv): Promise<number>` (the exit code). */
const COMMANDS: Record<string, string> = {
  transcribe: 'transcribe a file: hushscribe transcribe FILE [--model student|teacher|PATH] [--no-lm] [--format txt|json|srt|vtt] [--provider …] [--profile NAME]',
  eval: 'score a manifest: hushscribe eval MANIFEST.tsv [--model …] [--no-lm] [--profile NAME] [--out results.json]',
  serve: 'browser mode: hushscribe serve [--port N]',
  start: 'open the desktop app (browser mode where Electron is missing)',
  adapt: 'adapt the student to a speaker or room: hushscribe adapt MANIFEST.tsv --name NAME [--holdout 0.2]',
};

interface CommandModule {
  run(argv: string[]): Promise<number>;
}

function usage(): string {
  return ['usage: hushscribe <command> [options]', '', ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(11)} ${v}`)].join('\n');
}

const HELP_FLAGS = ['--help', '-h'];

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || HELP_FLAGS.includes(name)) {
    // `help eval` and `eval --help` both give that command's line.
    const topic = name === 'help' ? rest[0] : undefined;
    process.stdout.write(topic && topic in COMMANDS ? `usage: hushscribe ${topic}: ${COMMANDS[topic]}\n` : `${usage()}\n`);
    return name ? 0 : 2;
  }
  if (!(name in COMMANDS)) {
    process.stderr.write(`hushscribe: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  if (rest.some((a) => HELP_FLAGS.includes(a))) {
    process.stdout.write(`usage: hushscribe ${name}: ${COMMANDS[name]}\n`);
    return 0;
  }
  try {
    const mod = (await import(`./commands/${name}.ts`)) as CommandModule;
    return await mod.run(rest);
  } catch (err) {
    logger('cli').debug('command failed', err);
    process.stderr.write(`hushscribe ${name}: ${userMessageOf(err)}\n`);
    return 1;
  }
}
