/** The one logger: levels, to stderr, so stdout stays clean for transcripts and URLs. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

function initialLevel(): LogLevel {
  const env = process.env.HUSHSCRIBE_LOG;
  return env && env in ORDER ? (env as LogLevel) : 'warn';
}

let threshold: LogLevel = initialLevel();
type Sink = (line: string) => void;
let sink: Sink = (line) => process.stderr.write(`${line}\n`);

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function setLogSink(next: Sink): void {
  sink = next;
}

function emit(level: LogLevel, scope: string, message: string, detail?: unknown): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const extra = detail instanceof Error ? `\n${detail.stack ?? detail.message}` : detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
  sink(`[${new Date().toISOString()}] ${level.toUpperCase()} ${scope}: ${message}${extra}`);
}

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export function logger(scope: string): Logger {
  return {
    debug: (m, d) => emit('debug', scope, m, d),
    info: (m, d) => emit('info', scope, m, d),
    warn: (m, d) => emit('warn', scope, m, d),
    error: (m, d) => emit('error', scope, m, d),
  };
}
