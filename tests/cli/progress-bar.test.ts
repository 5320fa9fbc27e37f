import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../src/archive/index.js';
import { progressBar, progressLine } from '../../src/cli/progress-bar.js';
import { ANALYSING } from '../helpers/load-progress.js';

const analysing: LoadProgress = { ...ANALYSING, fraction: 0.25 };

function terminal(isTTY: boolean, columns = 120) {
  const written: string[] = [];
  return { stream: { isTTY, columns, write: (text: string) => written.push(text) }, written };
}

describe('the CLI progress bar', () => {
  it('is one line: stage, bar, share, work and time', () => {
    expect(progressLine(analysing, 200)).toBe(
      'Analysing [=====               ]  25% · 12,345 passages, 1,000/4,000 documents · 1 min 10 s, ~3 min 30 s left',
    );
    expect(progressLine({ ...analysing, stage: 'reading', filesRead: 1200, fraction: 0.3, etaMs: undefined }, 200)).toBe(
      'Reading   [======              ]  30% · 1,200/4,000 files read · 1 min 10 s',
    );
    // Never wider than the terminal (a wrapped line could not be redrawn in place).
    expect(progressLine(analysing, 40)).toHaveLength(39);
  });

  it('on a terminal, is redrawn in place and erased at the end; a warning gets a line of its own', () => {
    const { stream, written } = terminal(true);
    const bar = progressBar(stream, 'xterm-256color')!;
    bar.onProgress(analysing);
    bar.onProgress({ ...analysing, fraction: 0.5 });
    bar.warn('cache not used: …');
    bar.clear();
    expect(written).toEqual([
      `\r\x1b[K${progressLine(analysing, 120)}`,
      `\r\x1b[K${progressLine({ ...analysing, fraction: 0.5 }, 120)}`,
      '\r\x1b[K',
      'archivist: cache not used: …\n',
    ]);
  });

  it('is not there when stderr is piped or the terminal is dumb: nobody listens, so the load counts nothing', () => {
    expect(progressBar(terminal(false).stream, 'xterm')).toBeUndefined();
    expect(progressBar(terminal(true).stream, 'dumb')).toBeUndefined();
  });
});
