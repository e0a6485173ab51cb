/**
 * The report's header: a run with any size other than the published one says it is partial and names the option.
 * Part of `npm run test:unit`; alone: `node test/run.mjs bench report`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MachineInfo } from './machine.js';
import { parseOptions } from './options.js';
import { renderReport } from './report.js';

const machine: MachineInfo = {
  cpuModel: 'test CPU', logicalCpus: 2, physicalCores: 2, ramGiB: 8, os: 'Debian', node: 'v20', onnxruntime: '1', pocketsphinx: '0.8',
  commit: 'abc', date: '2026-11-30T00:00:00Z', loadAtStart: [0, 0, 0],
};
const render = (argv: string[]): string => renderReport({ opts: parseOptions(argv), machine, loadAtEnd: [0, 0, 0], minutes: 1, sections: [] });

test('a run at the published sizes is not labelled partial', () => {
  assert.doesNotMatch(render([]), /Partial run/);
});

test('each size option that differs from the published run is named in the partial-run line', () => {
  const header = render(['--app-speed', '1', '--app-wall-minutes', '101', '--long-minutes', '30']);
  assert.match(header, /Partial run:.*--app-wall-minutes 101.*--app-speed 1/);
  assert.match(header, /--long-minutes 30/);
  assert.doesNotMatch(header, /--app-audio-minutes/);
});
