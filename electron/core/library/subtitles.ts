/** Strict SRT/VTT readers: the tests use them to prove the exports parse. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

function seconds(ts: string, sep: ',' | '.'): number {
  const m = new RegExp(`^(\\d{2,}):(\\d{2}):(\\d{2})\\${sep}(\\d{3})$`).exec(ts.trim());
  if (!m) throw new Error(`bad timestamp '${ts}'`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

function cues(blocks: string[], sep: ',' | '.', numbered: boolean): Cue[] {
  const out: Cue[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    let i = 0;
    if (numbered || !lines[0].includes('-->')) {
      if (numbered && !/^\d+$/.test(lines[0])) throw new Error(`bad cue number '${lines[0]}'`);
      i = 1;
    }
    const [a, b] = (lines[i] ?? '').split(' --> ');
    if (b === undefined) throw new Error(`bad timing line '${lines[i]}'`);
    const start = seconds(a, sep);
    const end = seconds(b, sep);
    if (end < start) throw new Error('cue ends before it starts');
    const text = lines.slice(i + 1).join('\n');
    if (!text.trim()) throw new Error('empty cue');
    out.push({ start, end, text });
  }
  return out;
}

export function parseSrt(text: string): Cue[] {
  const blocks = text.replace(/\r/g, '').trim().split(/\n{2,}/).filter(Boolean);
  return cues(blocks, ',', true);
}

export function parseVtt(text: string): Cue[] {
  const norm = text.replace(/\r/g, '');
  if (!/^WEBVTT( |\n|$)/.test(norm)) throw new Error('missing WEBVTT header');
  const blocks = norm.trim().split(/\n{2,}/).slice(1).filter(Boolean);
  return cues(blocks, '.', false);
}
