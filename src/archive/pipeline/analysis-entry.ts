/**
 * Analysis worker: analyses batches of documents (wink-nlp, the slow part of a build) and posts
 * each batch back encoded (the cache's compact analysis format), its buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AnalysisEncoder } from '../wire/analysis-codec.js';
import { analyzeDocument } from '../postings/indexing.js';
import type { PassageOptions } from '../passages.js';
import type { AnalysisBatch, AnalysedBatch } from './analysis-pool.js';

const port = parentPort;
if (!port) throw new Error('pipeline/analysis-entry.ts runs only as a worker thread');
const passages = (workerData as { passages?: PassageOptions }).passages;

port.on('message', ({ batch, documents }: AnalysisBatch) => {
  const encoder = new AnalysisEncoder();
  for (const document of documents) encoder.add(analyzeDocument(document, passages));
  const { bytes, offsets, terms } = encoder.finish();
  const answer: AnalysedBatch = { batch, bytes, offsets, terms };
  port.postMessage(answer, [bytes.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer]);
});
