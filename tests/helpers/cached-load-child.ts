/**
 * Loads the archive at argv[2] with `Archive.load` (using and writing the on-disk cache) and prints
 * what the load report says, as JSON. Run by tests as several processes sharing one cache folder.
 */
import { Archive } from '../../src/archive/index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: cached-load-child.ts PATH');
const warnings: string[] = [];
const archive = await Archive.load(path, { onCacheWarning: (message) => warnings.push(message) });
const { cache, saved } = archive.loadReport ?? {};
process.stdout.write(JSON.stringify({ cache, saved, warnings, documents: archive.documents.length }));
