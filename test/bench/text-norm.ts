/**
 * Text normalisation for systems and references that are not already in the corpora's form
 * (lowercase a–z, apostrophe, single spaces, numbers spelled out): the LibriVox references and
 * pocketsphinx output.
 */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES: [number, string][] = [[1e12, 'trillion'], [1e9, 'billion'], [1e6, 'million'], [1e3, 'thousand']];

/** A whole number as words: 1811 → "one thousand eight hundred eleven". */
export function spellNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot spell ${n}`);
  if (n < 20) return ONES[n];
  if (n < 100) return n % 10 ? `${TENS[Math.floor(n / 10)]} ${ONES[n % 10]}` : TENS[n / 10];
  if (n < 1000) return n % 100 ? `${ONES[Math.floor(n / 100)]} hundred ${spellNumber(n % 100)}` : `${ONES[n / 100]} hundred`;
  for (const [scale, word] of SCALES) {
    if (n >= scale) {
      const rest = n % scale;
      const head = `${spellNumber(Math.floor(n / scale))} ${word}`;
      return rest ? `${head} ${spellNumber(rest)}` : head;
    }
  }
  throw new RangeError(`cannot spell ${n}`);
}

/** Digits one by one, for the part after a decimal point. */
const spellDigits = (digits: string): string => [...digits].map((d) => ONES[Number(d)]).join(' ');

/**
 * Lowercase; drop sentence markers (<s>, </s>, <sil>), fillers ([noise], ++breath++) and
 * alternative-pronunciation markers (word(2)); spell numbers out; anything else outside a–z and
 * apostrophe becomes a space; apostrophes only inside words.
 */
export function normaliseText(text: string): string {
  const t = text
    .toLowerCase()
    .replace(/<\/?s>|<sil>/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\+\+[^+]*\+\+/g, ' ')
    .replace(/\(\d+\)/g, '')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/(\d+)\.(\d+)/g, (_, a: string, b: string) => ` ${spellNumber(Number(a))} point ${spellDigits(b)} `)
    .replace(/\d+/g, (d) => ` ${d.length > 15 ? spellDigits(d) : spellNumber(Number(d))} `)
    .replace(/[^a-z']+/g, ' ');
  return t
    .split(' ')
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean)
    .join(' ');
}
