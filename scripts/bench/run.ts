import { benchAutocode } from './autocode.js';
import { benchImports } from './imports.js';
import { benchReports } from './reports.js';
import { benchScale } from './scale.js';
import { benchWorkbench } from './workbench.js';

/** `npm run bench [name...]`: runs the named benchmarks (all by default) and prints their figures. */
const benches: Record<string, () => Promise<void>> = {
  workbench: benchWorkbench,
  autocode: benchAutocode,
  reports: benchReports,
  imports: benchImports,
};
/** Run only when named: `npm run bench scale` (issue 14's goals) takes too long for the default set. */
const separate: Record<string, () => Promise<void>> = { scale: benchScale };

const all = { ...benches, ...separate };
const chosen = process.argv.slice(2).filter((name) => name in all);
for (const name of chosen.length > 0 ? chosen : Object.keys(benches)) {
  console.log(`\n== ${name} ==`);
  await all[name]!();
}
