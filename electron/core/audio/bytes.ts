/** The bytes at [at, at + length) as Latin-1 text, or '' when the buffer is too short: for magic numbers and chunk ids. */
export function ascii(b: Uint8Array, at: number, length: number): string {
  if (at < 0 || at + length > b.length) return '';
  return String.fromCharCode(...b.subarray(at, at + length));
}
