/**
 * A long load's progress as one line on a terminal: redrawn in place on stderr, cleared when the
 * load ends, so what the CLI prints (an answer, --json) is never mixed with it. Only when stderr is
 * a terminal (not TERM=dumb): piped or redirected, it draws nothing and the load counts nothing.
 */
import { describeDuration, type LoadProgress } from '../archive/index.js';

/** What a terminal stream offers the bar (process.stderr). */
interface Terminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  /** Draws `progress` over the previous line. */
  onProgress: (progress: LoadProgress) => void;
  /** Writes a message on a line of its own (a cache warning), above the bar. */
  warn: (message: string) => void;
  /** Removes the bar (the load ended). */
  clear: () => void;
}

/** Return to the line's start and erase it. */
const ERASE = '\r\x1b[K';
const BAR_WIDTH = 20;
const count = (n: number): string => n.toLocaleString('en-US');

/** The bar's text for `progress`, cut to `columns` - 1 characters so the terminal never wraps it. */
export function progressLine(progress: LoadProgress, columns = 80): string {
  const filled = Math.round(progress.fraction * BAR_WIDTH);
  const bar = `[${'='.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(progress.fraction * 100)}%`.padStart(4);
  const work =
    progress.stage === 'reading'
      ? `${count(progress.filesRead)}/${count(progress.filesToRead)} files read`
      : `${count(progress.passagesAnalysed)} passages, ${count(progress.documentsAnalysed)}/${count(progress.documentsToAnalyse)} documents`;
  const time = `${describeDuration(progress.elapsedMs)}${progress.etaMs === undefined ? '' : `, ~${describeDuration(progress.etaMs)} left`}`;
  const stage = progress.stage === 'reading' ? 'Reading  ' : 'Analysing';
  return `${stage} ${bar} ${percent} · ${work} · ${time}`.slice(0, Math.max(10, columns - 1));
}

/** A bar on `terminal`, or undefined when it is not one (then nobody listens and the load counts nothing). */
export function progressBar(terminal: Terminal = process.stderr, term = process.env.TERM): ProgressBar | undefined {
  if (terminal.isTTY !== true || term === 'dumb') return undefined;
  let shown = false;
  const clear = (): void => {
    if (shown) terminal.write(ERASE);
    shown = false;
  };
  return {
    onProgress: (progress) => {
      terminal.write(`${ERASE}${progressLine(progress, terminal.columns || 80)}`);
      shown = true;
    },
    warn: (message) => {
      clear();
      terminal.write(`archivist: ${message}\n`);
    },
    clear,
  };
}
