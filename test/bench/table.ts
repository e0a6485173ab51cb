/** Markdown tables and the number formats every section shares. */

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A GitHub-flavoured Markdown table; `right` marks numeric columns (right-aligned). */
export function mdTable(headers: string[], rows: string[][], right: boolean[] = []): string {
  const sep = headers.map((_, i) => (right[i] ? '---:' : '---'));
  return [headers, sep, ...rows].map((r, k) => `| ${(k === 1 ? r : r.map(cell)).join(' | ')} |`).join('\n');
}

export const NA = 'n/a';

export const fmtPct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? NA : x.toFixed(1));
export const fmtRtf = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? NA : x.toFixed(x < 0.1 ? 4 : 3));
export const fmtMb = (bytes: number | null | undefined): string => (bytes === null || bytes === undefined ? NA : `${(bytes / 1e6).toFixed(1)} MB`);
export const fmtRssKb = (kb: number | null | undefined): string => (kb === null || kb === undefined ? NA : `${(kb / 1024).toFixed(0)} MiB`);
export const fmtSeconds = (s: number): string => (s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

/** How a target's status is written: MISSED stands out. */
export const status = (met: boolean): string => (met ? 'met' : '**MISSED**');
