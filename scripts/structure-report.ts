// The figures that say whether server/ keeps its shape: size, the longest files, request
// validation outside the one helper, routes that touch the database, imports that point up the
// layers, and unescaped template output. `npm run structure [dir]` prints them for any checkout;
// test/unit/structure.test.ts requires the last four to be empty.
import fs from 'node:fs';
import path from 'node:path';
import { importsOf, isUpward, layerOf, listFiles } from './layers.js';

// Request input read other than through server/http/validate.ts. The exempt files read the
// environment, data files and the embedded database's own marker file, not requests.
const validationExempt = [
  'server/http/validate.ts',
  'server/config.ts',
  'server/data-files.ts',
  'server/db/embedded.ts',
];
const validationPatterns = [
  /\.safeParse\(/g,
  /\.catch\(\{\}\)\.parse\(/g,
  /function parse(Body)?</g,
  /\.parse\((request|req)\./g,
];
const modelCall =
  /\b(users|responses|events|notes|quotes|settings|codes|codebooks|changes|counters|schedules|slots)\.(find|findOne|findById|updateOne|updateMany|insertMany|create|deleteMany|deleteOne|countDocuments|aggregate|exists)\(/;

export function structureFindings(root: string) {
  const server = path.join(root, 'server');
  const read = (file: string) => fs.readFileSync(file, 'utf8');
  const relative = (file: string) => path.relative(root, file);
  const sources = listFiles(server, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  const lines = sources
    .map((file) => ({ file: relative(file), count: read(file).split('\n').length }))
    .sort((a, b) => b.count - a.count);
  const validationSites = sources
    .filter((file) => !validationExempt.includes(relative(file)))
    .flatMap((file) =>
      validationPatterns.flatMap((pattern) => [...read(file).matchAll(pattern)].map(() => relative(file))),
    );
  // A routes.ts that imports a model file (types included) or calls a model method itself.
  const routesTouchingDatabase = sources
    .filter((file) => path.basename(file) === 'routes.ts')
    .filter(
      (file) =>
        importsOf(file, read(file)).some((target) => /model\.ts$/.test(target)) ||
        /from 'mongoose'/.test(read(file)) ||
        modelCall.test(read(file)),
    )
    .map(relative);
  const upward = sources.flatMap((file) =>
    importsOf(file, read(file))
      .filter((target) => target.startsWith(server) && isUpward(layerOf(root, file), layerOf(root, target)))
      .map((target) => `${relative(file)} -> ${relative(target)}`),
  );
  const views = [
    ...listFiles(path.join(root, 'views'), (name) => name.endsWith('.ejs')),
    ...listFiles(server, (name) => name.endsWith('.ejs')),
  ];
  const unescaped = views.flatMap((file) =>
    [...read(file).matchAll(/<%-\s*([^%]*?)\s*%>/g)]
      .filter((match) => !/^include\(/.test(match[1]!))
      .map((match) => `${relative(file)}: <%- ${match[1]} %>`),
  );
  const escapers = [...sources, ...views].filter((file) => /replace\(\/&\/g/.test(read(file))).map(relative);
  return { lines, validationSites, routesTouchingDatabase, upward, unescaped, escapers };
}

if (import.meta.filename === process.argv[1]) {
  const findings = structureFindings(path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..')));
  const { lines } = findings;
  const list = (items: string[]) => (items.length ? ` (${[...new Set(items)].join(', ')})` : '');
  console.log(`files under server/ (.ts): ${lines.length}`);
  console.log(`lines: ${lines.reduce((sum, entry) => sum + entry.count, 0)}`);
  console.log(`longest: ${lines[0]!.file} (${lines[0]!.count} lines)`);
  console.log(
    `over 250 lines: ${
      lines
        .filter((entry) => entry.count > 250)
        .map((entry) => `${entry.file} (${entry.count})`)
        .join(', ') || 'none'
    }`,
  );
  console.log(
    `request validation outside http/validate.ts: ${findings.validationSites.length}${list(findings.validationSites)}`,
  );
  console.log(
    `routes.ts touching the database: ${findings.routesTouchingDatabase.length}${list(findings.routesTouchingDatabase)}`,
  );
  console.log(`upward imports: ${findings.upward.length}`);
  for (const line of findings.upward) console.log(`  ${line}`);
  console.log(`unescaped template outputs (<%- other than include): ${findings.unescaped.length}`);
  for (const line of findings.unescaped) console.log(`  ${line}`);
  console.log(`hand-written HTML/XML escapers: ${findings.escapers.length}${list(findings.escapers)}`);
}
