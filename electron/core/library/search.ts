/** Search helpers shared by the library index and the hit highlighter. */
export function tokenize(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}']+/u).filter(Boolean))];
}

export interface TextPart {
  text: string;
  hit: boolean;
}

/** Splits text into parts, marking words that start with any query token. */
export function highlight(text: string, query: string): TextPart[] {
  const q = tokenize(query);
  if (q.length === 0) return [{ text, hit: false }];
  const parts: TextPart[] = [];
  for (const piece of text.split(/([^\p{L}\p{N}']+)/u)) {
    if (!piece) continue;
    const hit = q.some((t) => piece.toLowerCase().startsWith(t));
    const last = parts[parts.length - 1];
    if (last && last.hit === hit && !hit) last.text += piece;
    else parts.push({ text: piece, hit });
  }
  return parts;
}

/** Whether every query token prefixes some token of the text. */
export function matches(tokens: string[], query: string): boolean {
  const q = tokenize(query);
  return q.length > 0 && q.every((t) => tokens.some((x) => x.startsWith(t)));
}
