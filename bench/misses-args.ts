/**
 * The arguments of the misses scripts (`kcna-misses.ts`, `docs-misses.ts`): `--options=JSON`, the
 * engine's ArchiveOptions to try, and `--kind=K`, one kind of question only.
 */
import type { ArchiveOptions } from '../src/archive/index.js';

export function missesArgs(argv: readonly string[] = process.argv.slice(2)): { options: ArchiveOptions; kind: string | undefined } {
  const args = new Map(
    argv.map((arg) => {
      const [key, value = ''] = arg.split('=', 2) as [string, string?];
      return [key, value];
    }),
  );
  return { options: JSON.parse(args.get('--options') || '{}') as ArchiveOptions, kind: args.get('--kind') || undefined };
}
