import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoCoderForFile } from '../../server/autocode/codebook.js';
import { loadCodebookFile } from '../../server/codebooks/files.js';
import { projectRoot } from '../../server/config.js';

const coderFor = (id: string) => autoCoderForFile(loadCodebookFile(id)!);
const topCode = (id: string, text: string) => coderFor(id).suggest(text, 3)[0]?.codeId;

describe('cold start: suggestions from the codebook alone', () => {
  const clear: Record<string, [string, string][]> = {
    'care-crisis-drivers': [
      ['Caseloads are through the roof and the courts have a backlog of months.', 'system-overload'],
      ['No placements anywhere, children are waiting in hotels.', 'system-overload'],
      ['The benefit cap and bedroom tax pushed families into debt.', 'austerity'],
      ['Sure Start centres closed and early help was cut.', 'austerity'],
      ['Nobody works with parents any more: it is tick-box, process-driven practice.', 'missed-partnership'],
      ['Parents asked for help long ago and now distrust everyone.', 'missed-partnership'],
      ['Managers are frightened of the press after high-profile deaths.', 'risk-aversion'],
      ['A blame culture makes everyone defensive.', 'risk-aversion'],
      ['Interpreters are never booked and Black families face bias.', 'cultural-competency'],
      ['Little understanding of ethnic minority family life.', 'cultural-competency'],
      ['Agency workers everywhere and nobody experienced stays.', 'workforce'],
      ['NQSWs with poor supervision and no training.', 'workforce'],
      ['We recognise neglect and coercive control far better now.', 'changing-awareness'],
      ['Criminal exploitation and county lines bring new cases.', 'changing-awareness'],
    ],
    'partnership-barriers': [
      ['The 26-week timetable leaves parents no time to change.', 'court-timescales'],
      ['Police and health work in silos.', 'multi-agency'],
    ],
    'family-experience': [
      ['My mum (the grandmother) was never assessed as a carer.', 'wider-family-ignored'],
      ['We were homeless and drowning in debt.', 'poverty-housing'],
    ],
    'care-experience': [
      ['I moved placements nine times.', 'placement-moves'],
      ['At 18 I was on my own with no support.', 'leaving-care'],
    ],
  };
  for (const [codebook, cases] of Object.entries(clear)) {
    for (const [text, expected] of cases) {
      it(`${codebook}: "${text}" -> ${expected}`, () => {
        const [first] = coderFor(codebook).suggest(text, 3);
        expect(first?.codeId).toBe(expected);
        expect(first!.score).toBeGreaterThan(0.3);
        expect(first!.score).toBeLessThanOrEqual(1);
        expect(first!.because.length).toBeGreaterThan(0);
      });
    }
  }

  it('understands abbreviations and American spelling', () => {
    expect(topCode('care-crisis-drivers', 'UC and LASPO.')).toBe('austerity');
    expect(topCode('care-crisis-drivers', 'SWs leave after a year.')).toBe('workforce');
    expect(topCode('partnership-promoters', 'Offer an FGC early.')).toBe('family-led-approaches');
    expect(topCode('family-experience', 'I got an SGO but no support after it.')).toBe('support-after');
    const [suggestion] = coderFor('care-crisis-drivers').suggest(
      'Defensive behavior by organizations scared of being criticized in the press.',
    );
    expect(suggestion?.codeId).toBe('risk-aversion');
  });

  it('gives several codes for a long answer that touches several themes', () => {
    const suggestions = coderFor('care-crisis-drivers').suggest(
      'Poverty and universal credit are part of it. Caseloads are huge, courts are backlogged, and the workforce is inexperienced with high turnover.',
      3,
    );
    expect(suggestions.map((suggestion) => suggestion.codeId).sort()).toEqual([
      'austerity',
      'system-overload',
      'workforce',
    ]);
  });

  it('suggests nothing rather than guessing for an answer with no signal', () => {
    expect(coderFor('care-crisis-drivers').suggest('I am not sure.')).toEqual([]);
    expect(coderFor('care-crisis-drivers').suggest('')).toEqual([]);
  });
});

describe('negation', () => {
  it('does not count a theme the respondent rules out', () => {
    const coder = coderFor('care-crisis-drivers');
    const plain = coder.suggest('It is poverty and the cuts.');
    expect(plain[0]?.codeId).toBe('austerity');
    const negated = coder.suggest('It is not poverty or the cuts but fear of blame and defensive managers.');
    expect(negated[0]?.codeId).toBe('risk-aversion');
    expect(negated.find((suggestion) => suggestion.codeId === 'austerity')).toBeUndefined();
  });

  it('keeps the theme in "not just X but Y"', () => {
    const codes = coderFor('care-crisis-drivers')
      .suggest('Not just poverty but also fear of blame.')
      .map((suggestion) => suggestion.codeId);
    expect(codes).toContain('austerity');
    expect(codes).toContain('risk-aversion');
  });
});

describe('learning from analysts', () => {
  it('changes a suggestion once analysts code answers with new words', () => {
    const coder = coderFor('care-crisis-drivers');
    const answer = 'The Pathways reorganisation did it.';
    expect(coder.suggest(answer)[0]?.codeId).not.toBe('workforce');
    coder.learn('a', 'Pathways reorganisation moved every worker twice.', ['workforce']);
    coder.learn('b', 'Since the Pathways restructure we lost our best people.', ['workforce']);
    coder.learn('c', 'Pathways broke our teams apart.', ['workforce']);
    coder.learn('d', 'Caseloads are huge.', ['system-overload']);
    const after = coder.suggest(answer)[0];
    expect(after?.codeId).toBe('workforce');
    expect(after?.because.some((reason) => reason.includes('pathways'))).toBe(true);
  });

  it('learns several codes from one answer, each as its own yes or no', () => {
    const coder = coderFor('care-crisis-drivers');
    for (const key of ['a', 'b', 'c', 'd'])
      coder.learn(key, `Kestrel panel and the Osprey rota, report ${key}.`, ['risk-aversion', 'workforce']);
    coder.learn('e', 'Caseloads are huge.', ['system-overload']);
    const codes = coder.suggest('Kestrel and Osprey again.').map((suggestion) => suggestion.codeId);
    expect(codes.slice(0, 2).sort()).toEqual(['risk-aversion', 'workforce']);
  });

  it('scores are probabilities: between 0 and 1, the best first', () => {
    const suggestions = coderFor('care-crisis-drivers').suggest(
      'Caseloads are huge, thresholds keep rising and austerity closed the children’s centres.',
    );
    expect(suggestions.length).toBeGreaterThan(1);
    for (const suggestion of suggestions) expect(suggestion.score).toBeGreaterThanOrEqual(0);
    for (const suggestion of suggestions) expect(suggestion.score).toBeLessThanOrEqual(1);
    const scores = suggestions.map((suggestion) => suggestion.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('forgets what it was taught when the coding is taken away', () => {
    const coder = coderFor('care-crisis-drivers');
    for (const key of ['a', 'b', 'c']) coder.learn(key, 'Kestrel panel decisions again.', ['risk-aversion']);
    expect(coder.suggest('The Kestrel panel.')[0]?.codeId).toBe('risk-aversion');
    for (const key of ['a', 'b', 'c']) coder.learn(key, 'Kestrel panel decisions again.', []);
    expect(coder.suggest('The Kestrel panel.')).toEqual([]);
  });
});

function cli(args: string[], input: string) {
  return spawnSync('npm', ['run', '--silent', 'cli', '--', 'suggest', ...args], {
    cwd: projectRoot,
    input,
    encoding: 'utf8',
  });
}

describe('npm run cli -- suggest', () => {
  it('prints one JSON line per answer, best first, at most --top', () => {
    const input = [
      '{"id":"r1","text":"Universal credit and cuts to early help, plus huge caseloads."}',
      '{"id":"r2","text":"Fear of blame."}',
    ].join('\n');
    const result = cli(['--scheme', 'care-crisis-drivers', '--top', '2'], input);
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id)).toEqual(['r1', 'r2']);
    expect(lines[0].suggestions).toHaveLength(2);
    expect(lines[0].suggestions[0]).toEqual({
      code: 'austerity',
      score: expect.any(Number),
      because: expect.arrayContaining(['universal credit']),
    });
    for (const line of lines) {
      const scores = line.suggestions.map((suggestion: { score: number }) => suggestion.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      for (const score of scores) expect(score).toBeGreaterThan(0);
      for (const score of scores) expect(score).toBeLessThanOrEqual(1);
    }
    expect(
      JSON.parse(
        cli(
          ['--scheme', 'care-crisis-drivers'],
          '{"id":"x","text":"Poverty, cuts, caseloads, fear of blame and agency staff."}',
        ).stdout,
      ).suggestions,
    ).toHaveLength(3);
  }, 30_000);

  it('learns from --train first, exactly as from analysts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'train-'));
    const train = path.join(dir, 'train.jsonl');
    fs.writeFileSync(
      train,
      [
        'Pathways reorganisation moved every worker twice.',
        'Since Pathways we lost our best people.',
        'Pathways broke our teams.',
      ]
        .map((text) => JSON.stringify({ text, codes: ['workforce'] }))
        .join('\n'),
    );
    const input = '{"id":"p","text":"Pathways."}';
    expect(JSON.parse(cli(['--scheme', 'care-crisis-drivers'], input).stdout).suggestions).toEqual([]);
    const trained = JSON.parse(cli(['--scheme', 'care-crisis-drivers', '--train', train], input).stdout);
    expect(trained.suggestions[0].code).toBe('workforce');
  }, 30_000);

  it('names each bad line and still answers the rest', () => {
    const input = [
      '{"id":"ok1","text":"Poverty."}',
      'not json',
      '{"id":"no-text"}',
      '{"id":"ok2","text":"Agency staff.","extra":1}',
      '{"id":"ok3","text":"Agency staff."}',
    ].join('\n');
    const result = cli(['--scheme', 'care-crisis-drivers'], input);
    expect(result.status).toBe(1);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual(['ok1', 'ok3']);
    expect(result.stderr).toContain('line 2: not valid JSON');
    expect(result.stderr).toContain('line 3: text:');
    expect(result.stderr).toContain('line 4:');
  }, 30_000);

  it('refuses an unknown codebook id, naming the known ones', () => {
    const result = cli(['--scheme', 'no-such-codebook'], '{"id":"a","text":"x"}');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown codebook "no-such-codebook". Known: care-crisis-drivers');
    expect(result.stdout).toBe('');
    expect(cli([], '').stderr).toContain('--scheme <codebook-id> is required');
  }, 30_000);

  it('needs no database', () => {
    const output = execFileSync('npm', ['run', '--silent', 'cli', '--', 'suggest', '--scheme', 'care-experience'], {
      cwd: projectRoot,
      input: '{"id":"c","text":"I moved placements every few months."}',
      encoding: 'utf8',
      env: { ...process.env, MONGODB_URI: 'mongodb://127.0.0.1:1/unreachable' },
    });
    expect(JSON.parse(output).suggestions[0].code).toBe('placement-moves');
  }, 30_000);
});
