/**
 * Markdown for docs/benchmarks.md: the machine, the targets of issue 4 with
 * met/missed, one table per data set, and notes on method. Misses are printed
 * as misses.
 */
import type { JobResult } from './job.js';
import type { MachineInfo } from './machine.js';
import type { SetKey } from './sets.js';

export interface JobFailure {
  set: SetKey;
  system: string;
  reason: string;
  /** Not run on purpose (the reason says why), rather than failed. */
  skipped?: boolean;
}

export interface ReportInput {
  machine: MachineInfo;
  date: string;
  /** 1-minute load average at the start and the end of the run. */
  load: [number, number];
  mode: 'full' | 'quick';
  command: string;
  /** Non-default ArchiveOptions our engine ran with, as JSON. */
  oursOptions?: string;
  totalSeconds: number;
  results: JobResult[];
  failures: JobFailure[];
}

/** Issue 4's targets. `max` targets are upper bounds, `min` lower bounds. */
export const TARGETS = {
  squadTop1: { label: 'SQuAD top1', min: 0.82 },
  squadAie: { label: 'SQuAD answer-in-excerpt@1', min: 0.76 },
  squadAieReal: { label: 'SQuAD answer-in-excerpt@1 (issue 8)', min: 0.79 },
  kcnaHeldoutEie: { label: 'KCNA own set, held-out half: evidence-in-excerpt@1 (issue 8)', min: 0.75 },
  docsHeldoutEie: { label: 'Docs own set, held-out half: evidence-in-excerpt@1 (issue 21)', min: 0.8 },
  cranNdcg: { label: 'Cranfield nDCG@10', min: 0.4 },
  squadBuildMs: { label: 'SQuAD index build', max: 600 },
  squadP95Ms: { label: 'SQuAD query p95', max: 0.5 },
  genP95Ms: { label: '100k passages: query p95', max: 5 },
  genHeapMB: { label: '100k passages: heap after build', max: 600 },
  genStartMs: { label: '100k passages: start from the on-disk index', max: 2000 },
} as const;

/** A peer "matches our quality" on SQuAD when its top1 is at least ours minus this. */
export const QUALITY_MATCH_MARGIN = 0.01;

const OURS = 'archivist';

const f3 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(3));
const ms = (x: number | undefined) =>
  x === undefined || Number.isNaN(x)
    ? '–'
    : x >= 1000
      ? `${(x / 1000).toFixed(2)} s`
      : x >= 10
        ? `${x.toFixed(0)} ms`
        : `${x.toFixed(2)} ms`;
const qms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(x < 10 ? 3 : 1)} ms`);
const mb = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(0)} MB`);
/** What building added: heap and RSS after build minus with the data loaded (GC noise can make a small Δ negative). */
const delta = (x: number) => (x < 0.5 ? '~0' : x.toFixed(0));
const indexMemory = (r: JobResult) =>
  `${delta(r.memory.built.heapMB - r.memory.data.heapMB)} / ${delta(r.memory.built.rssMB - r.memory.data.rssMB)} MB`;
/** Whether a start from disk really used the saved index (the load report says `snapshot`). */
const usedSnapshot = (load: { cache?: string }) => load.cache === 'snapshot';
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function bySet(results: JobResult[], set: SetKey): JobResult[] {
  return results.filter((r) => r.spec.set === set);
}

function ours(results: JobResult[], set: SetKey): JobResult | undefined {
  return results.find((r) => r.spec.set === set && r.spec.system === OURS);
}

function peers(results: JobResult[], set: SetKey): JobResult[] {
  return results.filter((r) => r.spec.set === set && r.spec.system !== OURS);
}

/** The peer with the best value of a figure (highest for quality, lowest for cost). */
function bestPeer(list: JobResult[], value: (r: JobResult) => number | undefined, higherIsBetter: boolean): JobResult | undefined {
  let best: JobResult | undefined;
  for (const r of list) {
    const v = value(r);
    if (v === undefined || Number.isNaN(v)) continue;
    const b = best && value(best);
    if (b === undefined || (higherIsBetter ? v > b : v < b)) best = r;
  }
  return best;
}

function targetsTable(results: JobResult[]): string {
  const rows: string[][] = [];
  const squad = ours(results, 'squad');
  const cran = ours(results, 'cranfield');
  const gen = ours(results, 'generated');
  const squadPeers = peers(results, 'squad');
  const cranPeers = peers(results, 'cranfield');

  const quality = (
    label: string,
    min: number,
    mine: number | undefined,
    list: JobResult[],
    value: (r: JobResult) => number | undefined,
  ) => {
    const best = bestPeer(list, value, true);
    const bestValue = best && value(best);
    rows.push([
      label,
      `≥ ${min}`,
      f3(mine),
      best ? `${f3(bestValue)} (${best.name})` : '–',
      verdict(mine === undefined ? undefined : mine >= min),
      mine === undefined || bestValue === undefined ? '–' : mine > bestValue ? 'yes' : 'no',
    ]);
  };
  quality(TARGETS.squadTop1.label, TARGETS.squadTop1.min, squad?.quality.top1, squadPeers, (r) => r.quality.top1);
  quality(TARGETS.squadAie.label, TARGETS.squadAie.min, squad?.quality.aie1, squadPeers, (r) => r.quality.aie1);
  quality(TARGETS.squadAieReal.label, TARGETS.squadAieReal.min, squad?.quality.aie1, squadPeers, (r) => r.quality.aie1);
  quality(TARGETS.cranNdcg.label, TARGETS.cranNdcg.min, cran?.quality.ndcg10, cranPeers, (r) => r.quality.ndcg10);
  const own = ours(results, 'kcna-own');
  quality(
    TARGETS.kcnaHeldoutEie.label,
    TARGETS.kcnaHeldoutEie.min,
    own?.quality['heldout.eie1'],
    peers(results, 'kcna-own'),
    (r) => r.quality['heldout.eie1'],
  );
  quality(
    TARGETS.docsHeldoutEie.label,
    TARGETS.docsHeldoutEie.min,
    ours(results, 'docs-own')?.quality['heldout.eie1'],
    peers(results, 'docs-own'),
    (r) => r.quality['heldout.eie1'],
  );
  const docsMarkup = ours(results, 'docs-own')?.quality;
  if (docsMarkup) {
    const withMarkup = (docsMarkup['markup.quotesWithMarkup'] ?? 0) + (docsMarkup['markup.titlesWithMarkup'] ?? 0);
    rows.push([
      'Docs own set: quotes and titles with raw markup (issue 21)',
      '0',
      `${withMarkup} of ${(docsMarkup['markup.quotes'] ?? 0) + (docsMarkup['markup.titles'] ?? 0)}`,
      '–',
      verdict(withMarkup === 0),
      '–',
    ]);
  }

  // Speed: ahead of every peer whose SQuAD quality matches ours.
  const matching = squad ? squadPeers.filter((p) => (p.quality.top1 ?? 0) >= (squad.quality.top1 ?? 0) - QUALITY_MATCH_MARGIN) : [];
  const speed = (label: string, max: number, mine: number | undefined, value: (r: JobResult) => number, format: (x: number) => string) => {
    const best = bestPeer(squadPeers, value, false);
    const slowerThan = mine === undefined ? [] : matching.filter((p) => value(p) <= mine);
    rows.push([
      label,
      `≤ ${format(max)}`,
      mine === undefined ? '–' : format(mine),
      best ? `${format(value(best))} (${best.name})` : '–',
      verdict(mine === undefined ? undefined : mine <= max),
      mine === undefined
        ? '–'
        : matching.length === 0
          ? 'no peer matches our quality'
          : slowerThan.length === 0
            ? 'yes'
            : `no: ${slowerThan.map((p) => p.name).join(', ')}`,
    ]);
  };
  speed(TARGETS.squadBuildMs.label, TARGETS.squadBuildMs.max, squad?.buildMs, (r) => r.buildMs, ms);
  speed(TARGETS.squadP95Ms.label, TARGETS.squadP95Ms.max, squad?.latency.p95, (r) => r.latency.p95, qms);

  const genPeers = peers(results, 'generated');
  const bestGen = bestPeer(genPeers, (r) => r.latency.p95, false);
  rows.push([
    TARGETS.genP95Ms.label,
    `≤ ${qms(TARGETS.genP95Ms.max)}`,
    qms(gen?.latency.p95),
    bestGen ? `${qms(bestGen.latency.p95)} (${bestGen.name})` : '–',
    verdict(gen && gen.latency.p95 <= TARGETS.genP95Ms.max),
    gen && bestGen ? (gen.latency.p95 < bestGen.latency.p95 ? 'yes' : 'no') : '–',
  ]);
  // SQLite keeps its index in native memory, so its heap is no comparison: heap is compared with the JS peers.
  const jsPeers = genPeers.filter((r) => r.spec.system !== 'sqlite');
  const bestHeap = bestPeer(jsPeers, (r) => r.memory.built.heapMB, false);
  rows.push([
    TARGETS.genHeapMB.label,
    `≤ ${mb(TARGETS.genHeapMB.max)}`,
    mb(gen?.memory.built.heapMB),
    bestHeap ? `${mb(bestHeap.memory.built.heapMB)} (${bestHeap.name}; JS peers only)` : '–',
    verdict(gen && gen.memory.built.heapMB <= TARGETS.genHeapMB.max),
    gen && bestHeap ? (gen.memory.built.heapMB < bestHeap.memory.built.heapMB ? 'yes' : 'no') : '–',
  ]);
  const start = gen?.start?.start;
  rows.push([
    TARGETS.genStartMs.label,
    `≤ ${ms(TARGETS.genStartMs.max)}`,
    start ? `${ms(start.loadMs)}${usedSnapshot(start) ? '' : ' (saved index not used)'}` : '–',
    '– (peers keep no index on disk)',
    start ? verdict(usedSnapshot(start) && start.loadMs <= TARGETS.genStartMs.max) : 'not measured',
    '–',
  ]);

  return table(['target (issues 4, 8)', 'goal', 'ours', 'best peer', 'target', 'ahead of peers?'], rows);
}

function failureRows(failures: JobFailure[], set: SetKey, columns: number): string[][] {
  return failures
    .filter((f) => f.set === set)
    .map((f) => [
      f.system,
      `${f.skipped ? '' : 'failed: '}${f.reason.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 200)}`,
      ...Array<string>(columns - 2).fill(''),
    ]);
}

function squadTable(results: JobResult[], failures: JobFailure[]): string {
  const rows = bySet(results, 'squad').map((r) => [
    r.name,
    f3(r.quality.top1),
    f3(r.quality.top5),
    f3(r.quality.mrr10),
    f3(r.quality.aie1),
    f3(r.quality.aie1Gold),
    f3(r.quality.empty),
    ms(r.buildMs),
    qms(r.latency.p50),
    qms(r.latency.p95),
    mb(r.memory.built.heapMB),
    indexMemory(r),
    mb(r.memory.built.rssMB),
  ]);
  rows.push(['*target*', '≥ 0.82', '', '', '≥ 0.76', '', '', '≤ 600 ms', '', '≤ 0.5 ms', '', '', '']);
  return table(
    [
      'system',
      'top1',
      'top5',
      'MRR@10',
      'answer-in-excerpt@1',
      '…and gold passage',
      'no result',
      'build',
      'query p50',
      'query p95',
      'heap after build',
      'index: heap Δ / RSS Δ',
      'RSS after build',
    ],
    [...rows, ...failureRows(failures, 'squad', 13)],
  );
}

function cranfieldTable(results: JobResult[], failures: JobFailure[]): string {
  const rows = bySet(results, 'cranfield').map((r) => [
    r.quality.ndcg10Ask === undefined ? r.name : `${r.name}, /search profile (as /ask: ${f3(r.quality.ndcg10Ask)})`,
    f3(r.quality.ndcg10),
    f3(r.quality.short),
    ms(r.buildMs),
    qms(r.latency.p50),
    qms(r.latency.p95),
    mb(r.memory.built.heapMB),
    indexMemory(r),
    mb(r.memory.built.rssMB),
  ]);
  rows.push(['*target*', '≥ 0.40', '', '', '', '', '', '', '']);
  return table(
    [
      'system',
      'nDCG@10',
      'fewer than 10 results',
      'build',
      'query p50',
      'query p95',
      'heap after build',
      'index: heap Δ / RSS Δ',
      'RSS after build',
    ],
    [...rows, ...failureRows(failures, 'cranfield', 9)],
  );
}

function kcnaTable(results: JobResult[], failures: JobFailure[]): string {
  const rows = bySet(results, 'kcna').map((r) => [
    r.name,
    String(r.documents),
    r.passages === undefined ? '–' : String(r.passages),
    r.loadMs === undefined ? 'in build' : ms(r.loadMs),
    ms(r.buildMs),
    qms(r.latency.p50),
    qms(r.latency.p95),
    mb(r.memory.built.heapMB),
    indexMemory(r),
    mb(r.memory.built.rssMB),
    r.notes.join('; '),
  ]);
  return table(
    [
      'system',
      'documents',
      'passages',
      'load',
      'build',
      'query p50',
      'query p95',
      'heap after build',
      'index: heap Δ / RSS Δ',
      'RSS after build',
      'note',
    ],
    [...rows, ...failureRows(failures, 'kcna', 11)],
  );
}

/** One of our own question sets (KCNA, docs): each half apart (the held-out half is never tuned on). */
function ownSetTable(set: 'kcna-own' | 'docs-own', target: string, results: JobResult[], failures: JobFailure[]): string {
  const rows: string[][] = [];
  const markup = set === 'docs-own';
  for (const r of bySet(results, set)) {
    for (const split of ['tune', 'heldout'] as const) {
      const q = (figure: string) => r.quality[`${split}.${figure}`];
      const shown = (what: 'quotes' | 'titles') =>
        r.quality[`markup.${what}`] ? `${r.quality[`markup.${what}WithMarkup`]} of ${r.quality[`markup.${what}`]}` : '–';
      rows.push([
        r.name,
        split === 'tune' ? 'tune' : 'held out',
        f3(q('eie1')),
        f3(q('passage3')),
        f3(q('article1')),
        f3(q('honestEmpty')),
        f3(q('falseEmpty')),
        f3(q('honest')),
        f3(q('flagged')),
        ...(markup ? [split === 'tune' ? shown('quotes') : '', split === 'tune' ? shown('titles') : ''] : []),
        split === 'tune' ? qms(r.latency.p50) : '',
        split === 'tune' ? qms(r.latency.p95) : '',
      ]);
    }
  }
  const columns = markup ? 13 : 11;
  // The honesty targets (issue 21): absent topics answered honestly, answerable ones rarely flagged.
  rows.push(['*target*', 'held out', target, '', '', '', '', '≥ 0.8', '≤ 0.05', ...Array<string>(columns - 9).fill('')]);
  return table(
    [
      'system',
      'half',
      'evidence-in-excerpt@1',
      'answer passage in top 3',
      markup ? 'right page first' : 'right article first',
      'absent: honest empty',
      'answerable: no result',
      'absent: empty or closest match',
      'answerable: empty or closest match',
      ...(markup ? ['quotes with raw markup (both halves)', 'titles with raw markup'] : []),
      'query p50',
      'query p95',
    ],
    [...rows, ...failureRows(failures, set, columns)],
  );
}

function generatedTable(results: JobResult[], failures: JobFailure[]): string {
  const rows = bySet(results, 'generated').map((r) => {
    const start = r.start?.start;
    const reload = r.duringReload;
    return [
      r.name,
      String(r.documents),
      r.passages === undefined ? '–' : String(r.passages),
      ms(r.buildMs),
      qms(r.latency.p50),
      qms(r.latency.p95),
      qms(r.latency.p99),
      reload ? `${qms(reload.p50)} / ${qms(reload.p95)} / ${qms(reload.p99)}` : '–',
      mb(r.memory.built.heapMB),
      mb(r.memory.peakRssMB),
      start ? `${ms(start.loadMs)} (${usedSnapshot(start) ? 'saved index used' : `saved index NOT used: ${start.cache ?? '?'}`})` : '–',
    ];
  });
  rows.push(['*target*', '', '', '', '', '≤ 5 ms', '', '', '≤ 600 MB', '', '≤ 2 s']);
  return table(
    [
      'system',
      'documents',
      'passages',
      'build',
      'query p50',
      'query p95',
      'query p99',
      'query p50 / p95 / p99 during a reload',
      'heap after build',
      'peak RSS',
      'start from on-disk index',
    ],
    [...rows, ...failureRows(failures, 'generated', 11)],
  );
}

/** The details behind our start-from-disk and during-reload figures, under the generated table. */
function generatedNotes(results: JobResult[]): string {
  const r = ours(results, 'generated');
  const lines: string[] = [];
  const s = r?.start;
  if (s) {
    lines.push(
      `- Start from the on-disk index (ours): the ${s.start.documents} documents written as Markdown files to a temp folder; ` +
        `a first \`Archive.load\` in a child process built and saved the cache in ${ms(s.first.loadMs)} (report: \`${s.first.cache ?? '?'}\`, saved: ${s.first.saved ?? '?'}); ` +
        `then \`Archive.load\` in a fresh child process took ${ms(s.start.loadMs)} (report: \`${s.start.cache ?? '?'}\`, ${s.start.documentsAnalyzed ?? '?'} documents analysed, ${s.start.passages} passages` +
        (s.start.timings
          ? `; list ${ms(s.start.timings.list)}, read ${ms(s.start.timings.read)}, index decode ${ms(s.start.timings.index)}, save ${ms(s.start.timings.save)}`
          : '') +
        '). ' +
        `The whole process, Node + tsx + engine and wink model import + load, took ${ms(s.start.processWallMs)} wall time ` +
        `(${ms(s.start.beforeLoadMs)} before the load started, of which engine import ${ms(s.start.importMs)}).` +
        (s.start.warnings.length ? ` Cache warnings: ${s.start.warnings.join('; ')}.` : ''),
    );
  }
  const d = r?.duringReload;
  if (d) {
    lines.push(
      `- During a reload (ours): ${d.count} queries (the same list, round after round), each timed like the others, on the built archive ` +
        `while \`loadArchiveInWorker\` re-read and re-analysed the same archive from its files in a worker thread of the same process ` +
        `(\`cache: false\`; report: \`${d.cache ?? '?'}\`, ${d.documentsAnalyzed ?? '?'} documents analysed) for ${ms(d.reloadMs)}. ` +
        `The process yields to its event loop between queries; the longest wait there was ${ms(d.longestStallMs)} ` +
        `(receiving the new archive from the worker happens on the main thread).`,
    );
  }
  return lines.join('\n');
}

/** A `## Load` section (written by another tool, e.g. bench/load.ts) in `previous`, if any, up to the next `## ` heading. */
export function loadSection(previous: string, heading = 'Load'): string | undefined {
  const match = new RegExp(`^## ${heading}(?:[ \\t:].*)?$`, 'm').exec(previous);
  if (!match) return undefined;
  const rest = previous.slice(match.index + match[0].length);
  const next = /^## /m.exec(rest);
  return (match[0] + (next ? rest.slice(0, next.index) : rest)).trimEnd();
}

/**
 * Sections written by runs other than the full one (`-- load`, `-- scale`, `-- cli`) or by hand
 * (issue 18's measurements with their profiles).
 */
const HAND_KEPT_SECTIONS = ['Load', 'Scale', 'SQuAD through the CLI', 'One question through the CLI', 'Issue 18, second part', 'Start-up'];

/**
 * `markdown` with the `## Load` section of the file it replaces kept (before the notes on method),
 * unless `markdown` has one of its own.
 */
export function keepLoadSection(markdown: string, previous: string | undefined): string {
  // The scale run (`npm run bench -- scale`) is not part of a full run either: its section is kept the same way.
  return HAND_KEPT_SECTIONS.reduce((kept, heading) => keepSection(kept, previous, heading), markdown);
}

function keepSection(markdown: string, previous: string | undefined, heading: string): string {
  const section = previous === undefined ? undefined : loadSection(previous, heading);
  if (!section || loadSection(markdown, heading) !== undefined) return markdown;
  const notes = markdown.indexOf('\n## How these figures are made');
  if (notes < 0) return `${markdown.trimEnd()}\n\n${section}\n`;
  return `${markdown.slice(0, notes)}\n${section}\n${markdown.slice(notes)}`;
}

export function renderReport(input: ReportInput): string {
  const { machine, results, failures } = input;
  const any = (set: SetKey) => results.some((r) => r.spec.set === set) || failures.some((f) => f.set === set);
  const first = (set: SetKey) => results.find((r) => r.spec.set === set);
  const parts: string[] = [];
  parts.push(`# Benchmarks${input.mode === 'quick' ? ' (quick smoke run — small subsets, not comparable to a full run)' : ''}`);
  parts.push(
    [
      `Measured ${input.date} with \`${input.command}\` in ${input.totalSeconds.toFixed(0)} s.`,
      `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB memory, Node ${machine.node}, ${machine.platform}.`,
      ...(input.oursOptions ? [`Our engine ran with non-default options: \`${input.oursOptions}\`.`] : []),
      `Load average (1 min) at start / end: ${input.load[0].toFixed(2)} / ${input.load[1].toFixed(2)}` +
        (Math.max(...input.load) > machine.cores / 2
          ? ' — other work shared the cores, so timings are noisier than on an idle machine.'
          : '.'),
    ].join('\n'),
  );
  parts.push(
    `## Targets\n\n${targetsTable(results)}\n\n"Ahead of peers?" compares with the best peer for quality; for speed it lists peers whose SQuAD top1 is within ${QUALITY_MATCH_MARGIN} of ours (or better) and are at least as fast.`,
  );
  if (any('squad')) {
    const squadNote = first('squad')?.notes.join('; ');
    parts.push(
      `## SQuAD v1.1 (half of dev): ${first('squad')?.documents ?? '?'} paragraphs, ${first('squad')?.quality.n ?? '?'} questions\n\n${squadTable(results, failures)}` +
        (squadNote ? `\n\nQuestions: ${squadNote}.` : ''),
    );
  }
  if (any('cranfield'))
    parts.push(
      `## Cranfield 1400: ${first('cranfield')?.documents ?? '?'} documents, ${first('cranfield')?.quality.n ?? '?'} judged queries\n\n${cranfieldTable(results, failures)}`,
    );
  if (any('kcna'))
    parts.push(
      `## KCNA 2024 archive (\`../shared/archive/kcna-2024\`), ${first('kcna')?.queries ?? '?'} generated questions (latency only)\n\n${kcnaTable(results, failures)}`,
    );
  if (any('kcna-own')) {
    const note = first('kcna-own')?.notes.join('; ');
    parts.push(
      `## KCNA own question set (\`bench/eval/kcna-questions.json\`)${note ? `: ${note}` : ''}\n\n${ownSetTable('kcna-own', '≥ 0.65', results, failures)}\n\n` +
        'Evidence-in-excerpt@1: the first quote holds one of the verbatim evidence strings (case-insensitive, whitespace collapsed). ' +
        "Right article first: the first result is the question's article or a copy holding the evidence. " +
        "Answer passage in top 3 is ours only (peers rank whole documents); peers' quotes are the shared rule's cut of their top document. " +
        'Absent questions (the archive never reports the topic) count as honest when nothing is returned.',
    );
  }
  if (any('docs-own')) {
    const note = first('docs-own')?.notes.join('; ');
    parts.push(
      `## Docs own question set (\`bench/eval/docs-questions.json\` over \`../shared/archive/vite-docs\`)${note ? `: ${note}` : ''}\n\n${ownSetTable('docs-own', '≥ 0.80', results, failures)}\n\n` +
        'Figures as for the KCNA set; right page first: the first result is read from the answering page. ' +
        "Ours loads the folder with its own loader; peers index each page's raw Markdown (title: front matter title, else first heading). " +
        "Raw markup (link syntax, `:::`, HTML/Vue tags, code fences, heading marks; inline code is the page's words and is left out) is counted over every answer shown: " +
        "ours up to 5 hits per question, each quote and title; peers the shared rule's quote of their top page (they have no titles of their own).",
    );
  }
  if (any('generated')) {
    const details = generatedNotes(results);
    parts.push(
      `## Generated archive, ${first('generated')?.queries ?? '?'} questions (latency only)\n\n${generatedTable(results, failures)}` +
        (details ? `\n\n${details}` : ''),
    );
  }
  parts.push(NOTES);
  return parts.join('\n\n') + '\n';
}

const NOTES = `## How these figures are made

- Every system runs on the same documents in the same run; each system × data set is a child process
  of its own (\`node --expose-gc\`), so memory figures do not mix. Build = indexing the documents already in
  memory. KCNA: our build is \`Archive.load\` (read + index); the peers index the documents our loader
  produced, and reading them is shown apart as "load".
- Query latency: one untimed pass (the quality pass, or 200 queries) warms up, then every query is timed
  with \`process.hrtime\`, asking for 10 results. Our \`search\` cuts a hit's excerpt only when it is first
  read (\`hit.excerpt\` is a getter), and the timed call reads none (\`bench/peers/archivist.ts\` keeps the
  first hit and reads its excerpt in \`quote()\`), so our latency now measures ranking only, like the
  ids-only peers; answer-in-excerpt@1 reads the first hit's excerpt outside the timed section.
- Heap = V8 \`heapUsed + external\` (typed arrays and native buffers) after two forced GCs; "index: heap Δ /
  RSS Δ" = heap and RSS after build minus the same with the data loaded; RSS is the process's resident set after build;
  peak RSS is the process maximum (data generation included). SQLite keeps its index in native memory,
  which shows in RSS, not in heap.
- Fields: title and text for every system (our engine's title field; MiniSearch/lunr/wink fields,
  FTS5 columns; library default weights). The reference points in \`../shared/eval/README.md\` match peers
  indexing text only; with the title indexed, the peers score higher on Cranfield (e.g. lunr 0.385 vs 0.361).
  SQuAD titles have their underscores turned into spaces.
- Peers: MiniSearch with \`processTerm\` = English stop words + Porter stemmer (\`stemmer\`); wink-bm25-text-search
  with wink-nlp-utils prep tasks (lower-case, tokenize, stop words, stem, negations); lunr with its default
  English pipeline, questions passed as plain terms (never lunr query syntax); SQLite FTS5 (better-sqlite3,
  in memory) with the \`porter unicode61\` tokenizer and \`bm25()\`, questions as OR-ed quoted content words
  (stop words dropped from the question: FTS5 has no stop list).
- Peer excerpts (answer-in-excerpt@1): one rule for all peers, \`bench/eval/excerpt.ts\`: among windows of
  consecutive sentences of the top document that fit in 350 characters, the one covering the most distinct
  query stems, ties to the earlier. Ours quotes its own \`excerpt.text\`. "…and gold passage" counts only
  quotes from the gold paragraph (the protocol's figure does not require that). "No result" / "fewer than
  10 results": share of questions for which the system returned nothing / under 10 documents (ours rejects
  thin matches by design; peers return every match).
- Our engine ranks passages; results are folded to distinct documents for top-k and nDCG.
- The generated archive is deterministic (seed in \`bench/data/generated.ts\`): Zipf-distributed vocabulary
  (English function words at the head), 1–8 paragraphs per document, one passage per paragraph; half the
  questions are words of a real sentence, half random vocabulary.
- Time to start from the on-disk index (generated archive, ours): the documents are written as Markdown
  files to a temp folder of the job's own (removed afterwards), and the first load waits 2.5 s after the
  last write, as for files older than their index (files changed within 2 s of a load are re-hashed by the
  next one, the cache's guard against same-tick writes: 4.1–4.4 s instead of 2.3 s here); one \`Archive.load\` in a child process
  builds and saves \`.archivist-cache/\`, then \`Archive.load\` is timed in a fresh child process; the
  figure is that in-process load time, and it counts only when \`loadReport.cache\` is \`snapshot\` (the
  saved index was used). The whole process's wall time, Node + tsx + imports included, is given beside it.
- Query latency during a reload (generated archive, ours): the same 1000 queries, round after round, timed
  one by one in the job process while \`loadArchiveInWorker\` (\`cache: false\`, so it re-analyses every
  file) reloads the same archive in a worker thread; on 2 cores the worker and the queries share the CPU.`;
