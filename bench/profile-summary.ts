/**
 * Summarise a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile`):
 * the functions with the most self time, and self time per source file.
 *
 *   npx tsx bench/profile-summary.ts bench/profiles/squad-archivist.cpuprofile [top=25] [under=NAME]
 *
 * With `under`, only samples whose call stack passes through a function of that
 * name count (e.g. `search` for the query path, `fromDocuments` for indexing).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from './paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  if (!file) return '(native)';
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) return file.slice(nm + 'node_modules/'.length);
  return path.relative(projectRoot, file);
}

export async function summarise(file: string, top = 25, under?: string): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
  const isUnder = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (nodeById.get(at)?.callFrame.functionName === under) return true;
    }
    return false;
  };
  // Self time per node from the sample deltas (more exact than hitCount × interval).
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (under && !isUnder(id)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const where = shortUrl(node.callFrame.url);
    const name = `${node.callFrame.functionName || '(anonymous)'}  ${where}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const group = where.startsWith('src/') || where.startsWith('bench/') ? where : where.split('/')[0]!;
    byFile.set(group, (byFile.get(group) ?? 0) + us);
  }
  const rows = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return [
    `${path.basename(file)}${under ? ` under ${under}()` : ''}: ${(total / 1e6).toFixed(2)} s sampled`,
    `-- self time by function (top ${top})`,
    rows(byFunction, top),
    '-- self time by file or package',
    rows(byFile, 15),
  ].join('\n');
}

const isMain = process.argv[1]?.endsWith('profile-summary.ts');
if (isMain) {
  const [file, top, under] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [top] [under]');
  process.stdout.write(`${await summarise(file, top ? Number(top) : 25, under)}\n`);
}
