/**
 * The tricky archive the bot tests share, written to a temp folder as `archive.json` and read by an
 * injectable loader (so the bot tests do not depend on which file formats the loader supports, and a
 * test can make a reload fail or stall).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive } from '../../src/archive/archive.js';
import type { ArchiveDocument } from '../../src/archive/types.js';
import type { LoadArchive } from '../../src/bot/holder.js';

export const SPACEPORT_TEXT = [
  "Kim Jong Un, president of the State Affairs of the Democratic People's Republic of Korea, met Vladimir Putin, president of the Russian Federation, at the Vostochny Spaceport in Amur Province of the Russian Far East.",
  'A spaceport is the top-secret place in all countries. The fact that such a closely-guarded place was chosen for the summit eloquently shows the depth of traditional friendship.',
  'Putin organized the visit, received him in front of the carrier rocket assembly and test complex, and accompanied him during the whole visit.',
].join('\n\n');

/** The spaceport article as a Markdown file, the one document of the small archives the process tests serve. */
export const SUMMIT_MARKDOWN = `# A New Landmark, Summit at a Spaceport\n\n${SPACEPORT_TEXT}\n`;

/** A fresh temp folder holding only `summit.md` ({@link SUMMIT_MARKDOWN}). */
export async function summitArchive(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeFile(join(dir, 'summit.md'), SUMMIT_MARKDOWN);
  return dir;
}

/** Archive text that must be quoted, not obeyed: mentions that must not ping and Markdown that must not render. */
export const TRAP_TEXT =
  'Attention @everyone and <@123456789012345678>: the **reservoir** meeting about the ||secret|| sluice gates is at `noon` in the __hall__, see [this](https://evil.example/x) ~~now~~ *please*.';

export function fixtureDocuments(): ArchiveDocument[] {
  const docs: ArchiveDocument[] = [
    {
      id: 'summit-2023',
      title: 'A New Landmark, Summit at a Spaceport',
      text: SPACEPORT_TEXT,
      file: 'archive.json',
      source: 'Pyongyang Times',
      date: '2023-09-20',
      url: 'https://example.org/summit',
    },
    {
      id: 'harvest-2021',
      title: 'Bumper Harvest in South Hwanghae',
      text: 'Farmers in South Hwanghae Province brought in a bumper harvest of rice this autumn.\n\nThe cooperative farms credited new seed varieties and the timely transplanting of rice seedlings.',
      file: 'archive.json',
      source: 'KCNA',
      date: '2021-10-05',
    },
    {
      id: 'trap-2022',
      title: 'Notice to **all** members',
      text: TRAP_TEXT,
      file: 'archive.json',
      source: 'Bulletin',
      date: '2022-01-01',
    },
    {
      id: 'undated-note',
      title: 'Undated note on the sluice gates',
      text: 'The sluice gates of the western reservoir were repaired by volunteers.',
      file: 'archive.json',
      source: 'KCNA',
    },
    {
      id: `deeply/nested/${'very-long-folder-name/'.repeat(5)}glacier-observatory-report`,
      title: 'Glacier observatory report',
      text: 'The glacier observatory on Mount Paektu recorded the coldest winter in a decade.',
      file: 'archive.json',
      source: 'Science Weekly',
      date: '2020-02-14',
    },
    {
      id: 'long-title',
      title: `Proceedings of the extended plenary meeting on the comprehensive development of the ${'national '.repeat(15)}economy`,
      text: 'The plenary meeting reviewed the plan for the glacier observatory and other scientific institutions.',
      file: 'archive.json',
      source: 'KCNA',
      date: '2019-12-31',
    },
  ];
  // Enough documents about the same thing for three pages of /search and a full autocomplete list.
  for (let i = 1; i <= 30; i++) {
    docs.push({
      id: `irrigation-${String(i).padStart(2, '0')}`,
      title: `Irrigation bulletin ${i}`,
      text: `Irrigation canal number ${i} was dredged and the irrigation pumps at station ${i} were overhauled before the planting season.`,
      file: 'archive.json',
      source: 'Farm News',
      date: `2018-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
    });
  }
  return docs;
}

export async function writeFixture(dir: string, documents: ArchiveDocument[] = fixtureDocuments()): Promise<void> {
  await writeFile(join(dir, 'archive.json'), JSON.stringify(documents));
}

export async function makeFixtureDir(documents?: ArchiveDocument[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'archivist-bot-'));
  await writeFixture(dir, documents);
  return dir;
}

/** Reads `<dir>/archive.json` and indexes it with the real engine. */
export const fixtureLoad: LoadArchive = async (dir) => {
  let documents: ArchiveDocument[];
  try {
    documents = JSON.parse(await readFile(join(dir, 'archive.json'), 'utf8')) as ArchiveDocument[];
  } catch (error) {
    throw new Error(`Cannot load archive: ${(error as Error).message}`, { cause: error });
  }
  return Archive.fromDocuments(documents, {}, dir);
};
