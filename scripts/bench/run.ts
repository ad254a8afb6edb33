import { benchAutocode } from './autocode.js';
import { benchImports } from './imports.js';
import { benchReports } from './reports.js';
import { benchWorkbench } from './workbench.js';

/** `npm run bench [name...]`: runs the named benchmarks (all by default) and prints their figures. */
const benches: Record<string, () => Promise<void>> = {
  workbench: benchWorkbench,
  autocode: benchAutocode,
  reports: benchReports,
  imports: benchImports,
};

const chosen = process.argv.slice(2).filter((name) => name in benches);
for (const name of chosen.length > 0 ? chosen : Object.keys(benches)) {
  console.log(`\n== ${name} ==`);
  await benches[name]!();
}
