import { describe, expect, it } from 'vitest';
import { unitsOf } from '../helpers/units.js';
import { parseSearch, searchAnswers } from '../../server/autocode/answer-search.js';
import { groupAnswers } from '../../server/autocode/themes.js';

/**
 * Welsh function words must not bring Welsh answers together in an emerging theme or name a group:
 * also when written joined to the next word ("mae’n", "rwy’n", "i’r", "o’r") and the everyday
 * ones the list missed ("dim", "neu").
 */

// Four answers about four different things, written with the same function words.
const unrelated = [
  'Mae’n anodd iawn, rwy’n teimlo bod yr ysgol wedi methu i’r plant o’r dechrau, dim neu fawr ddim.',
  'Mae’n glir bod angen tai, rwy’n gwybod i’r teulu fod mewn llety dros dro o’r cychwyn, dim neu ddim.',
  'Mae’n amlwg, rwy’n credu, i’r gweithiwr cymdeithasol newid o’r mis cyntaf, dim neu ddim.',
  'Mae’n drist, rwy’n siŵr i’r cyfreithiwr beidio ag esbonio dim o’r broses, neu ddim.',
];
const courts = [
  'Llysoedd araf iawn, achosion yn cymryd blwyddyn gyfan.',
  'Llysoedd yn araf, y barnwr yn newid.',
  'Llys teulu araf a barnwr newydd.',
];
const grandparents = [
  'Nain a taid yn barod i helpu ond neb wedi gofyn.',
  'Nain wedi cynnig gofalu ond neb yn gwrando.',
  'Taid a nain heb gael asesiad o gwbl.',
];

describe('Welsh function words in emerging themes', () => {
  it('do not group answers that share nothing else, nor name a group', () => {
    const groups = groupAnswers(unitsOf([...unrelated, ...courts, ...grandparents], 'cy'));
    const functionWords = ["mae'n", "rwy'n", "i'r", "o'r", 'dim', 'neu'];
    for (const group of groups) expect(group.words.filter((word) => functionWords.includes(word))).toEqual([]);
    const unrelatedIds = unitsOf(unrelated).map((unit) => unit.responseId);
    for (const group of groups)
      expect(group.responseIds.filter((id) => unrelatedIds.includes(id)).length).toBeLessThan(2);
  });

  it('that are also English shorthand (ni, eu, os, pan) do not group Welsh answers either', () => {
    const alike = [
      'Cefnogaeth gan yr ysgol, os oedd ni eisiau, pan eu plant yn sâl.',
      'Tai addas, ni ddylai eu plant symud pan oedd pethau’n anodd, os o gwbl.',
      'Gweithiwr cymdeithasol cyson, os ni’n onest, pan eu hangen.',
      'Cyfreithiwr ac eiriolwr, pan aethon ni i’r llys, os eu teulu yn deall.',
    ];
    const groups = groupAnswers(unitsOf([...alike, ...courts, ...grandparents], 'cy'));
    for (const group of groups)
      expect(group.words.filter((word) => ['ni', 'eu', 'os', 'pan'].includes(word))).toEqual([]);
  });

  it('that mean in, get, make, would (yng, cael, gwneud, fyddai) do not name a group', () => {
    const wouldHave = [
      'Byddai cael athro cefnogol yng Nghaerdydd wedi gwneud gwahaniaeth, fyddai hynny’n well.',
      'Byddai cael tŷ addas yng Nghasnewydd wedi gwneud gwahaniaeth, fyddai’n braf.',
      'Byddai cael cyfreithiwr yng Ngwynedd wedi gwneud gwahaniaeth, fyddai’n deg.',
      'Byddai cael eiriolwr yng Nghonwy wedi gwneud gwahaniaeth, fyddai’n help.',
    ];
    const groups = groupAnswers(unitsOf([...wouldHave, ...courts, ...grandparents], 'cy'));
    const functionWords = ['cael', 'yng', 'gwneud', "fyddai'n", 'fyddai'];
    for (const group of groups)
      expect(group.words.filter((word) => functionWords.some((f) => word.split(' ').includes(f)))).toEqual([]);
  });

  it('that mean because, so, why, how, if it were, with, every, before, since, until (oherwydd, felly, pam, sut, pe bai’r, efo, bob, cyn, ers, tan) do not group answers nor name a group', () => {
    const sets = [
      [
        'Oherwydd yr ysgol, felly roedd pethau’n anodd, doedd neb yn esbonio pam na sut.',
        'Tai gwael oherwydd y landlord, felly symudon ni, roedd llwydni, dyna pam a sut.',
        'Oherwydd y gweithiwr cymdeithasol newydd bob mis, felly dim perthynas, pam a sut?',
        'Y cyfreithiwr, oherwydd costau, felly heb gyngor, doedd dim arian: pam, sut?',
      ],
      [
        'Pe bai’r ysgol wedi gwrando, roedden ni’n teimlo efo nhw bob tro.',
        'Pe bai’r tŷ yn addas, roedden ni’n byw efo llwydni bob gaeaf.',
        'Pe bai’r gweithiwr yn aros, roedden ni’n siarad efo rhywun newydd bob mis.',
        'Pe bai’r cyfreithiwr wedi esbonio, roedden ni’n mynd efo’r llif bob cam.',
      ],
      [
        'Cyn yr achos, ers y dechrau, tan y diwedd, eto ac eto: yr ysgol yn methu.',
        'Cyn symud, ers misoedd, tan nawr, eto: y tŷ yn oer a llaith.',
        'Cyn y gynhadledd, ers y gwanwyn, tan heddiw, eto: gweithiwr arall.',
        'Cyn y gwrandawiad, ers wythnosau, tan yr haf, eto: dim cyfreithiwr.',
      ],
    ];
    const functionWords = [
      'oherwydd',
      'felly',
      'pam',
      'sut',
      'pe',
      "bai'r",
      'roedden',
      'efo',
      'bob',
      'cyn',
      'ers',
      'tan',
      'eto',
    ];
    for (const alike of sets) {
      const groups = groupAnswers(unitsOf([...alike, ...courts, ...grandparents], 'cy'));
      for (const group of groups)
        expect(group.words.filter((word) => functionWords.some((f) => word.split(' ').includes(f)))).toEqual([]);
      for (const group of groups) expect(group.responseIds.filter((id) => Number(id) < 4).length).toBeLessThan(2);
    }
  });

  it('that are also English (PE, Pam, Beth, Bob, tan) are still words in English answers', () => {
    const english = unitsOf([
      'PE teacher noticed first',
      'Pam from early help',
      'Beth the IRO',
      'Bob the SW',
      'a tan coat',
    ]);
    for (const [query, index] of [
      ['PE', 0],
      ['Pam', 1],
      ['Beth', 2],
      ['Bob', 3],
      ['tan', 4],
    ] as const)
      expect(searchAnswers(english, parseSearch(query)).map((hit) => hit.unit.index)).toEqual([index]);
  });

  it('that are also English (yr, dim, fe) are not required of a Welsh answer by a search, as they are not in its words', () => {
    // "yr ysgol" is "the school": written "i’r ysgol", "o’r ysgol", "mae’r ysgol" as often as "yr ysgol".
    const welsh = unitsOf(
      ['Dim cymorth o gwbl gan yr ysgol.', 'Mae’r ysgol wedi helpu.', 'Aeth hi i’r ysgol newydd.'],
      'cy',
    );
    expect(searchAnswers(welsh, parseSearch('yr ysgol')).map((hit) => hit.unit.index)).toEqual([0, 1, 2]);
    expect(searchAnswers(welsh, parseSearch('dim ysgol')).map((hit) => hit.unit.index)).toEqual([0, 1, 2]);
    // Alone, such a word finds no Welsh answer, as "y" finds none; English answers still need it.
    expect(searchAnswers(welsh, parseSearch('yr'))).toEqual([]);
    const english = unitsOf(['Yr 10 at a new school.', 'The school was fine.']);
    expect(searchAnswers(english, parseSearch('yr school')).map((hit) => hit.unit.index)).toEqual([0]);
  });

  it('joined to the next word are not searched for, so a search for what is said still finds it', () => {
    const welsh = unitsOf(unrelated, 'cy');
    expect(parseSearch("mae'n ysgol").words).toEqual(['ysgol']);
    expect(searchAnswers(welsh, parseSearch('mae’n ysgol')).map((hit) => hit.unit.index)).toEqual([0]);
  });
});
