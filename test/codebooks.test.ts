import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { addUser, postForm, seedCodings, seedResponses, signIn } from './helpers/office.js';
import { answerForms, signInTeam, view } from './helpers/workbench.js';

/** Codebook management: making codebooks, the tree, stable numbers, usage, and merges previewed, confirmed and undone. */
const testApp = useTestApp();
let ana: request.Agent;
let lead: request.Agent;
let anaId: string;
let benId: string;
let ids: string[];
const book = '/codebooks/care-crisis-drivers';

beforeAll(async () => {
  ({ ana, anaId } = await signInTeam(testApp));
  benId = (await testApp.connection.collection('users').findOne({ email: 'ben@review.example' }))!._id.toString();
  await addUser(testApp, 'lead@review.example', 'lead');
  lead = await signIn(testApp.app, 'lead@review.example');
  ids = await seedResponses(
    testApp,
    'professionals',
    Array.from({ length: 4 }, (_, i) => ({
      role: 'barrister',
      country: 'england',
      quote_consent: 'yes',
      drivers_text: `Answer number ${i}.`,
    })),
  );
});

const { at } = answerForms(() => ids);
const change = (url: string, fields: Record<string, string> = {}) => postForm(lead, url, fields, book);
const code = (name: string, parent = '') => ({ name, definition: `About ${name}.`, colour: '#112233', parent });
/** The number shown for each code, in the order the codebook page lists them. */
const numbers = async (url = book) =>
  [
    ...(await lead.get(url)).text.matchAll(/<li id="code-([a-z0-9-]+)"[^]*?<span class="code-key">([0-9.]+)<\/span>/g),
  ].map((match) => `${match[2]} ${match[1]}`);
/** The workbench's code buttons, in order: number and code. */
const workbenchCodes = async (index = 0) =>
  [...(await ana.get(at(index))).text.matchAll(/data-code-key="([^"]*)" data-code="([a-z0-9-]+)"/g)].map(
    (match) => `${match[1]} ${match[2]}`,
  );
const pressed = async (agent: request.Agent, index: number) =>
  [
    ...(await agent.get(at(index))).text.matchAll(/data-code="([a-z0-9-]+)">(?:(?!<\/form>)[^])*?aria-pressed="true"/g),
  ].map((match) => match[1]!);
const themes = async () =>
  (await ana.get(`/reports/professionals/themes/drivers_text?${view}&format=json`)).body.rows.map(
    (row: { codeId: string; count: number }) => `${row.codeId} ${row.count}`,
  );
const usageOf = async (codeId: string) => {
  const page = (await lead.get(book)).text;
  return /<dd class="usage">([^<]*)<\/dd>/.exec(page.slice(page.indexOf(`<li id="code-${codeId}"`)))?.[1];
};

describe('creating a codebook', () => {
  it('makes a codebook with an id from its name, unique, and records it', async () => {
    const first = await postForm(
      lead,
      '/codebooks',
      { name: 'Housing & homes', description: 'Where families live.' },
      '/codebooks',
    );
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/codebooks/housing-homes?saved=created#codebook');
    const second = await postForm(lead, '/codebooks', { name: 'Housing: homes' }, '/codebooks');
    expect(second.headers.location).toBe('/codebooks/housing-homes-2?saved=created#codebook');
    const page = await lead.get('/codebooks/housing-homes?saved=created');
    expect(page.text).toContain('<h1 id="codebook">Housing &amp; homes</h1>');
    expect(page.text).toContain(
      '<div class="notice" role="status"><p>Codebook created. Add its first code below.</p></div>',
    );
    expect(page.text).toContain('This codebook has no codes yet.');
    expect(page.text).toMatch(/<td>lead@review.example<\/td><td>created<\/td><td><\/td><td>Housing &amp; homes<\/td>/);
    expect((await lead.get('/codebooks')).text).toContain('<a href="/codebooks/housing-homes-2">Housing: homes</a>');
  });

  it('edits its name and description, and refuses an empty name', async () => {
    const saved = await postForm(
      lead,
      '/codebooks/housing-homes',
      { name: 'Housing', description: 'Homes and rent.' },
      '/codebooks/housing-homes',
    );
    expect(saved.headers.location).toBe('/codebooks/housing-homes?saved=renamed#codebook');
    const page = await lead.get('/codebooks/housing-homes');
    expect(page.text).toContain('<h1 id="codebook">Housing</h1>');
    expect(page.text).toContain('<p>Homes and rent.</p>');
    expect(page.text).toMatch(/<td>renamed<\/td><td><\/td><td>name, description<\/td>/);
    const empty = await postForm(lead, '/codebooks/housing-homes', { name: ' ' }, '/codebooks/housing-homes');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter a name for the codebook');
    expect((await postForm(lead, '/codebooks/no-such-book', { name: 'x' }, '/codebooks')).status).toBe(404);
  });

  it('numbers the codes of a new codebook from 1, sub-codes under their parent', async () => {
    const url = '/codebooks/housing-homes';
    for (const fields of [code('Rent'), code('Repairs'), code('Arrears', 'rent'), code('Damp', 'repairs')])
      await postForm(lead, `${url}/codes`, fields, url);
    expect(await numbers(url)).toEqual(['1 rent', '1.1 arrears', '2 repairs', '2.1 damp']);
  });
});

describe('stable numbers and the tree', () => {
  it('numbers the seeded codes in file order, and the workbench shows the same numbers', async () => {
    const seeded = [
      '1 system-overload',
      '2 austerity',
      '3 missed-partnership',
      '4 risk-aversion',
      '5 cultural-competency',
      '6 workforce',
      '7 changing-awareness',
    ];
    expect(await numbers()).toEqual(seeded);
    expect(await workbenchCodes()).toEqual(seeded);
  });

  it('gives an added code the next number, never reusing one after a retirement', async () => {
    const added = await change(`${book}/codes`, code('Housing'));
    expect(added.headers.location).toBe(`${book}?saved=added&code=housing#code-housing`);
    await change(`${book}/codes/housing/retire`);
    await change(`${book}/codes`, code('Poverty'));
    await change(`${book}/codes`, code('Blame culture', 'risk-aversion'));
    expect(await numbers()).toEqual([
      '1 system-overload',
      '2 austerity',
      '3 missed-partnership',
      '4 risk-aversion',
      '4.1 blame-culture',
      '5 cultural-competency',
      '6 workforce',
      '7 changing-awareness',
      '8 housing',
      '9 poverty',
    ]);
    // The workbench lists the tree (parents followed by their children) without the retired code.
    expect(await workbenchCodes()).toEqual([
      '1 system-overload',
      '2 austerity',
      '3 missed-partnership',
      '4 risk-aversion',
      '4.1 blame-culture',
      '5 cultural-competency',
      '6 workforce',
      '7 changing-awareness',
      '9 poverty',
    ]);
  });

  it('moves codes up and down among their siblings, nests and un-nests them, recording each', async () => {
    const moved = await change(`${book}/codes/poverty/move`, { move: 'up' });
    expect(moved.headers.location).toBe(`${book}?saved=moved&code=poverty#code-poverty`);
    const page = await lead.get(`${book}?saved=moved&code=poverty`);
    expect(page.text).toMatch(
      /<li id="code-poverty" class="code-card is-saved"[^>]*>\s*<div class="notice" role="status"><p>Code moved.<\/p><\/div>/,
    );
    // Nested under the code above it (housing is retired, so changing awareness), numbered there.
    await change(`${book}/codes/poverty/move`, { move: 'indent' });
    await change(`${book}/codes/workforce/move`, { move: 'indent' });
    expect((await numbers()).slice(5)).toEqual([
      '5 cultural-competency',
      '5.1 workforce',
      '7 changing-awareness',
      '7.1 poverty',
      '8 housing',
    ]);
    // Out again: after its parent, with a number never used before.
    await change(`${book}/codes/workforce/move`, { move: 'outdent' });
    expect((await numbers()).slice(5)).toEqual([
      '5 cultural-competency',
      '10 workforce',
      '7 changing-awareness',
      '7.1 poverty',
      '8 housing',
    ]);
    await change(`${book}/codes/workforce/move`, { move: 'down' });
    expect((await numbers()).slice(6, 8)).toEqual(['7 changing-awareness', '7.1 poverty']);
    expect((await numbers())[8]).toBe('10 workforce');
    const history = (await lead.get(book)).text;
    expect(history).toContain('<td>moved</td><td>poverty</td><td>Poverty nested under Changing awareness</td>');
    expect(history).toContain(
      '<td>moved</td><td>workforce</td><td>Workforce and training moved out from under Cultural competency to the top level</td>',
    );
  });

  it('refuses a move that cannot be made, saying why', async () => {
    const first = await change(`${book}/codes/system-overload/move`, { move: 'up' });
    expect(first.status).toBe(400);
    expect(first.text).toContain('is already the first at its level');
    expect((await change(`${book}/codes/system-overload/move`, { move: 'outdent' })).text).toContain(
      'already at the top level',
    );
    expect((await change(`${book}/codes/system-overload/move`, { move: 'indent' })).text).toContain(
      'There is no active code above',
    );
    expect((await change(`${book}/codes/system-overload/move`, { move: 'sideways' })).status).toBe(400);
    expect((await change(`${book}/codes/no-such-code/move`, { move: 'up' })).status).toBe(404);
  });

  it('numbers a database stored before codes had numbers once, in order, and keeps them', async () => {
    const codes = testApp.connection.collection('codes');
    await codes.updateMany({ codebookId: 'housing-homes' }, { $unset: { key: '' } });
    await testApp.connection
      .collection('codebooks')
      .updateOne({ _id: 'housing-homes' as never }, { $unset: { topKey: '' } });
    expect(await numbers('/codebooks/housing-homes')).toEqual(['1 rent', '1.1 arrears', '2 repairs', '2.1 damp']);
    const stored = await codes.find({ codebookId: 'housing-homes' }).sort({ key: 1 }).toArray();
    expect(stored.map((stored) => stored.key)).toEqual(['1', '1.1', '2', '2.1']);
    await postForm(lead, '/codebooks/housing-homes/codes', code('Eviction'), '/codebooks/housing-homes');
    expect(await numbers('/codebooks/housing-homes')).toEqual([
      '1 rent',
      '1.1 arrears',
      '2 repairs',
      '2.1 damp',
      '3 eviction',
    ]);
  });
});

describe('merging with a preview, a confirmation and an undo', () => {
  const choice = { from: 'risk-aversion', into: 'missed-partnership' };
  let before: { themes: string[]; ana: string[][]; ben: string[]; numbers: string[]; usage: (string | undefined)[] };
  const figures = async () => ({
    themes: await themes(),
    ana: [await pressed(ana, 0), await pressed(ana, 1), await pressed(ana, 3)],
    ben: await pressed(await signIn(testApp.app, 'ben@review.example'), 1),
    numbers: await numbers(),
    usage: [await usageOf('risk-aversion'), await usageOf('missed-partnership'), await usageOf('blame-culture')],
  });

  beforeAll(async () => {
    await seedCodings(testApp, [
      { responseId: ids[0]!, coderId: anaId, codeId: 'risk-aversion' },
      { responseId: ids[1]!, coderId: anaId, codeId: 'risk-aversion' },
      { responseId: ids[1]!, coderId: anaId, codeId: 'austerity' },
      { responseId: ids[1]!, coderId: benId, codeId: 'risk-aversion' },
      { responseId: ids[2]!, coderId: 'final', codeId: 'risk-aversion' },
      { responseId: ids[3]!, coderId: anaId, codeId: 'blame-culture' },
    ]);
    before = await figures();
  });

  it('counts the codings, answers and coders of each code', () => {
    expect(before.usage).toEqual([
      '4 codings on 3 answers: ana@review.example 2, ben@review.example 1, Reconciled (final) 1',
      '0 codings on 0 answers',
      '1 coding on 1 answer: ana@review.example 1',
    ]);
    expect(before.ana).toEqual([['risk-aversion'], ['austerity', 'risk-aversion'], ['blame-culture']]);
    expect(before.ben).toEqual(['risk-aversion']);
  });

  it('offers two drop-downs that start on no code at all', async () => {
    const page = (await lead.get(book)).text;
    const form = page.slice(page.indexOf('/merge/preview'), page.indexOf('Preview the merge'));
    expect(form.match(/<option value="">Choose a code<\/option>/g)).toHaveLength(2);
    expect(form).not.toContain('selected');
  });

  it('previews what moves, changing nothing', async () => {
    const preview = await change(`${book}/merge/preview`, choice);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain(
      '<h1>Merge “Fear, blame and risk aversion” into “Missed opportunities for partnership”?</h1>',
    );
    expect(preview.text).toContain('<strong>4 codings</strong> on <strong>3 answers</strong> would count for');
    expect(preview.text).toContain('ana@review.example (2), ben@review.example (1), Reconciled (final) (1)');
    expect(preview.text).toContain('Questions affected: professionals / drivers_text.');
    expect(preview.text).toContain('be numbered there: 4.1 Blame culture.');
    expect(preview.text).toMatch(
      /name="from" value="risk-aversion"[^]*name="into" value="missed-partnership"[^]*Confirm/,
    );
    expect(preview.text).toContain(`<a class="button button--secondary" href="${book}#merge">Cancel</a>`);
    expect(await figures()).toEqual(before);
  });

  it('merges on confirmation: codings count for the survivor, sub-codes move under it, other numbers stay', async () => {
    const merged = await change(`${book}/merge`, choice);
    expect(merged.status).toBe(303);
    expect(merged.headers.location).toBe(`${book}?saved=merged&code=missed-partnership#code-missed-partnership`);
    const after = await figures();
    expect(after.ana).toEqual([['missed-partnership'], ['austerity', 'missed-partnership'], ['blame-culture']]);
    expect(after.ben).toEqual(['missed-partnership']);
    expect(after.usage).toEqual([
      'counted for Missed opportunities for partnership',
      '4 codings on 3 answers: ana@review.example 2, ben@review.example 1, Reconciled (final) 1',
      '1 coding on 1 answer: ana@review.example 1',
    ]);
    expect(after.numbers).toEqual(
      before.numbers
        .map((line) => (line === '4.1 blame-culture' ? '3.1 blame-culture' : line))
        .sort((a, b) => after.numbers.indexOf(a) - after.numbers.indexOf(b)),
    );
    expect(after.numbers.slice(0, 5)).toEqual([
      '1 system-overload',
      '2 austerity',
      '3 missed-partnership',
      '3.1 blame-culture',
      '4 risk-aversion',
    ]);
    expect(after.themes).not.toEqual(before.themes);
    const workbench = await workbenchCodes();
    expect(workbench.slice(0, 5)).toEqual([
      '1 system-overload',
      '2 austerity',
      '3 missed-partnership',
      '3.1 blame-culture',
      '5 cultural-competency',
    ]);
    const page = (await lead.get(book)).text;
    expect(page).toMatch(
      /<td>lead@review.example<\/td><td>merged<\/td><td>risk-aversion<\/td><td>Fear, blame and risk aversion into Missed opportunities for partnership<\/td>/,
    );
  });

  it('shows an analyst the merge in the history, with no Undo button, and refuses an undo from an analyst', async () => {
    const page = (await ana.get(book)).text;
    expect(page).toContain('<td>merged</td><td>risk-aversion</td>');
    expect(page).not.toContain('/undo"');
    const undo = /action="([^"]+\/undo)"/.exec((await lead.get(book)).text)![1]!;
    expect((await postForm(ana, undo, {}, book)).status).toBe(403);
    expect((await lead.get(book)).text).toContain(undo);
  });

  it('refuses the same confirmation sent again, recording one merge', async () => {
    const again = await change(`${book}/merge`, choice);
    expect(again.status).toBe(409);
    expect(again.text).toContain('has already been merged into that code');
    expect(await testApp.connection.collection('codebookchanges').countDocuments({ action: 'merged' })).toBe(1);
  });

  it('undoes the merge from the history: every coding, sub-code and number back where it was', async () => {
    const page = (await lead.get(book)).text;
    const undo = /action="([^"]+\/undo)"/.exec(page)![1]!;
    const undone = await change(undo);
    expect(undone.status).toBe(303);
    expect(undone.headers.location).toBe(`${book}?saved=unmerged&code=risk-aversion#code-risk-aversion`);
    expect(await figures()).toEqual(before);
    const history = (await lead.get(book)).text;
    expect(history).toContain('<td>unmerged</td><td>risk-aversion</td>');
    expect(history).toContain('Fear, blame and risk aversion into Missed opportunities for partnership (undone)');
    expect(history).not.toContain('/undo"');
    const twice = await change(undo);
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('has already been undone');
    expect(await figures()).toEqual(before);
  });

  it('refuses to undo a merge whose survivor has been merged away since', async () => {
    await change(`${book}/merge`, { from: 'cultural-competency', into: 'austerity' });
    await change(`${book}/merge`, { from: 'austerity', into: 'system-overload' });
    const page = (await lead.get(book)).text;
    const undos = [...page.matchAll(/action="([^"]+\/undo)"/g)].map((match) => match[1]!);
    expect(undos).toHaveLength(2);
    // The older merge (listed second): austerity has since been merged into system overload.
    const refused = await change(undos[1]!);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(
      '&#34;Austerity, cuts and deprivation&#34; has since been merged into another code: undo that first',
    );
    expect((await change(undos[0]!)).status).toBe(303);
    expect((await change(undos[1]!)).status).toBe(303);
    expect(await figures()).toEqual(before);
  });

  it('merges a code into its own sub-code, lifting the sub-code, and undoes that too', async () => {
    await change(`${book}/merge`, { from: 'risk-aversion', into: 'blame-culture' });
    expect((await numbers()).slice(3, 4)).toEqual(['4 risk-aversion']);
    expect(await pressed(ana, 0)).toEqual(['blame-culture']);
    expect((await numbers()).find((line) => line.endsWith('blame-culture'))).toBe('11 blame-culture');
    const undo = /action="([^"]+\/undo)"/.exec((await lead.get(book)).text)![1]!;
    expect((await change(undo)).status).toBe(303);
    expect(await figures()).toEqual(before);
  });

  it('numbers each of several sub-codes that move in a merge, and numbers them back on undo', async () => {
    const url = '/codebooks/housing-homes';
    await postForm(lead, `${url}/codes`, code('Mould', 'repairs'), url);
    expect(await numbers(url)).toEqual(['1 rent', '1.1 arrears', '2 repairs', '2.1 damp', '2.2 mould', '3 eviction']);
    await postForm(lead, `${url}/merge`, { from: 'repairs', into: 'rent' }, url);
    expect(await numbers(url)).toEqual(['1 rent', '1.1 arrears', '1.2 damp', '1.3 mould', '2 repairs', '3 eviction']);
    const undo = /action="([^"]+\/undo)"/.exec((await lead.get(url)).text)![1]!;
    expect((await postForm(lead, undo, {}, url)).status).toBe(303);
    expect(await numbers(url)).toEqual(['1 rent', '1.1 arrears', '2 repairs', '2.1 damp', '2.2 mould', '3 eviction']);
  });

  it('keeps a choice that cannot be merged on the codebook page, with the problem in its error summary', async () => {
    const same = await change(`${book}/merge/preview`, { from: 'austerity', into: 'austerity' });
    expect(same.status).toBe(400);
    expect(same.text).toContain('<title>Error: What is driving the rise in care proceedings');
    expect(same.text).toMatch(
      /class="error-summary" role="alert"[^]*<a href="#merge-into">Choose two different codes: a code cannot be merged into itself<\/a>/,
    );
    expect(same.text).toContain('aria-describedby="merge-into-error"');
    expect(same.text.match(/<option value="austerity" selected>/g)).toHaveLength(2);
    const empty = await change(`${book}/merge/preview`, {});
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<a href="#merge-from">Choose the code to merge</a>');
    expect(empty.text).toContain('<a href="#merge-into">Choose the code to merge it into</a>');
    const retired = await change(`${book}/merge/preview`, { from: 'austerity', into: 'housing' });
    expect(retired.text).toContain('&#34;Housing&#34; is not an active code');
    await change(`${book}/codes`, code('Rent arrears', 'blame-culture'));
    const deep = await change(`${book}/merge/preview`, { from: 'risk-aversion', into: 'rent-arrears' });
    expect(deep.status).toBe(400);
    expect(deep.text).toContain('is nested deeper under');
    // Confirming such a choice directly (a hand-made form) is refused the same way, and changes nothing.
    const direct = await change(`${book}/merge`, { from: 'austerity', into: 'austerity' });
    expect(direct.status).toBe(409);
    expect(await testApp.connection.collection('codes').countDocuments({ mergedInto: { $exists: true } })).toBe(0);
  });
});
