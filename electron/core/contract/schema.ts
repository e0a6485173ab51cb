/**
 * A tiny runtime schema kit: one declaration gives both the TypeScript type (via `Infer`)
 * and the validator run at every process boundary. Pure: no Node, no DOM; the renderer bundles it.
 */
import { HushError } from '../errors.js';

/** A payload that does not match its channel's schema. */
export class ContractError extends HushError {
  constructor(where: string, problem: string) {
    super('contract', `${where}: ${problem}`);
  }
}

export interface Schema<T> {
  readonly kind: string;
  /** Returns the value typed, or throws ContractError naming the path. */
  parse(value: unknown, path?: string): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function fail(path: string, problem: string): never {
  throw new ContractError(path || 'payload', problem);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const string = (opts: { max?: number } = {}): Schema<string> => ({
  kind: 'string',
  parse(v, path = '') {
    if (typeof v !== 'string') fail(path, `expected string, got ${describe(v)}`);
    if (opts.max !== undefined && v.length > opts.max) fail(path, `longer than ${opts.max} characters`);
    return v;
  },
});

const number = (opts: { min?: number; max?: number; int?: boolean } = {}): Schema<number> => ({
  kind: 'number',
  parse(v, path = '') {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `expected finite number, got ${describe(v)}`);
    if (opts.int && !Number.isInteger(v)) fail(path, 'expected an integer');
    if (opts.min !== undefined && v < opts.min) fail(path, `below ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) fail(path, `above ${opts.max}`);
    return v;
  },
});

const boolean = (): Schema<boolean> => ({
  kind: 'boolean',
  parse(v, path = '') {
    if (typeof v !== 'boolean') fail(path, `expected boolean, got ${describe(v)}`);
    return v;
  },
});

const literal = <const L extends readonly (string | number | boolean)[]>(...values: L): Schema<L[number]> => ({
  kind: 'literal',
  parse(v, path = '') {
    if (!values.includes(v as L[number])) fail(path, `expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    return v as L[number];
  },
});

const bytes = (opts: { max?: number } = {}): Schema<Uint8Array> => ({
  kind: 'bytes',
  parse(v, path = '') {
    if (!(v instanceof Uint8Array)) fail(path, `expected bytes, got ${describe(v)}`);
    if (opts.max !== undefined && v.byteLength > opts.max) fail(path, `more than ${opts.max} bytes`);
    return v;
  },
});

const array = <T>(item: Schema<T>, opts: { max?: number } = {}): Schema<T[]> => ({
  kind: 'array',
  parse(v, path = '') {
    if (!Array.isArray(v)) fail(path, `expected array, got ${describe(v)}`);
    if (opts.max !== undefined && v.length > opts.max) fail(path, `more than ${opts.max} items`);
    return v.map((x, i) => item.parse(x, `${path}[${i}]`));
  },
});

const nullable = <T>(inner: Schema<T>): Schema<T | null> => ({
  kind: 'nullable',
  parse(v, path = '') {
    return v === null ? null : inner.parse(v, path);
  },
});

interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

const optional = <T>(inner: Schema<T>): OptionalSchema<T> => ({
  kind: 'optional',
  optional: true,
  parse(v, path = '') {
    return v === undefined ? undefined : inner.parse(v, path);
  },
});

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** Objects are strict: unknown keys are refused, so nothing unexpected crosses a boundary. */
const object = <S extends Shape>(shape: S): Schema<ObjectOf<S>> => ({
  kind: 'object',
  parse(v, path = '') {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) fail(path, `expected object, got ${describe(v)}`);
    const input = v as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!(key in shape)) fail(path, `unexpected key '${key}'`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(shape)) {
      const parsed = schema.parse(input[key], path ? `${path}.${key}` : key);
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as ObjectOf<S>;
  },
});

export const s = { string, number, boolean, literal, bytes, array, nullable, optional, object };
