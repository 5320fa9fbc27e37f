/**
 * `node --import tsx bench/startup/load-child.ts DIR` — one `Archive.load(DIR)` in a process of its
 * own (with the on-disk cache), printing `@@LOAD {json}`: the in-process load time, what the load
 * report says about the saved index, and how long the process took to get to the load (Node, tsx,
 * engine and wink model import). The first run in a folder builds and saves the cache; a second,
 * fresh run is the "start from the on-disk index" figure.
 */
const sinceStart = () => performance.now(); // performance.now() counts from the process's time origin
const dir = process.argv[2];
if (!dir) throw new Error('usage: load-child.ts DIR');
const importStart = sinceStart();
const { Archive } = await import('../../src/archive/index.js');
const imported = sinceStart();
const t0 = performance.now();
const archive = await Archive.load(dir);
const loadMs = performance.now() - t0;
const report = archive.loadReport;
process.stdout.write(
  `@@LOAD ${JSON.stringify({
    loadMs,
    importMs: imported - importStart,
    beforeLoadMs: imported,
    passages: archive.stats().passages,
    documents: archive.documents.length,
    cache: report?.cache,
    saved: report?.saved,
    documentsAnalyzed: report?.documentsAnalyzed,
    warnings: report?.warnings ?? [],
    timings: report?.timings,
  })}\n`,
);
