/**
 * Welsh function words. The engine reads English, but Welsh answers are searched and grouped into
 * emerging themes too: without these, "yn", "y" and "mae" would be what brings Welsh answers
 * together. Left out: those that are also English words or shorthand in this field ("DA" for domestic
 * abuse, "NI", "EU", "OS", "Dan", "pan", "na" for n/a), so an English search for them still works.
 */
export const welshStopWords = [
  // Everyday ones first missed: "neu" (or) and the like ("dim" is below, as also English).
  'neu',
  'doedd',
  'dydy',
  'dydi',
  'dydw',
  'nac',
  'mai',
  'dwi',
  'dw',
  'wyt',
  // As English's in, get, do/make, would, can, should, more, some, any (English stop words too).
  'yng',
  'ym',
  'cael',
  'gael',
  'gwneud',
  'wneud',
  'fydd',
  'fyddai',
  'byddwn',
  'fyddwn',
  'gallu',
  'gallai',
  'allai',
  'dylai',
  'ddylai',
  'mwy',
  'rhai',
  'unrhyw',
  // As English's because, so, why/how/who/when, with, through, between, before, since, again, if,
  // were (English stop words too): four answers about a school, housing, a social worker and a
  // solicitor were grouped as one theme named 'oherwydd, felly, sut' or "pe bai'r, roedden, efo".
  // Not "achos" (also "case", as in a court case) nor "bai" alone (also "blame").
  'oherwydd',
  'felly',
  'sut',
  'pwy',
  'pryd',
  'efo',
  'hefo',
  'drwy',
  'trwy',
  'rhwng',
  'cyn',
  'ers',
  'eto',
  'petai',
  'roedden',
  'roeddwn',
  'oedden',
  'oeddwn',
  'a',
  'ac',
  'ag',
  'â',
  'am',
  'ar',
  'at',
  'bod',
  'byddai',
  'bydd',
  'chi',
  'dros',
  'dy',
  'dyma',
  'dyna',
  'dyw',
  'ddim',
  'ei',
  'ein',
  'eich',
  'fel',
  'fi',
  'fo',
  'fod',
  'fy',
  'gan',
  'gyd',
  'gyda',
  'hefyd',
  'heb',
  'hi',
  'hwn',
  'hon',
  'hyn',
  'hynny',
  'i',
  'iawn',
  'maen',
  'mae',
  'mewn',
  'nad',
  'nag',
  'nid',
  'nhw',
  'o',
  'oedd',
  'oes',
  'ond',
  'pob',
  'roedd',
  'rwy',
  'rydw',
  'rydyn',
  'sydd',
  'sy',
  'wedi',
  'wrth',
  'y',
  'yma',
  'yn',
  'yno',
  'yw',
  'ydy',
  'ydw',
  "i'w",
  'iddo',
  'iddi',
  'iddyn',
];

/**
 * Welsh function words left out of the list above because they are also English shorthand or words
 * here ("FE" further education, "Yr 10", "a dim view"): stop words only in an answer written in
 * Welsh, so they do not group Welsh answers.
 */
export const welshOnlyStopWords = new Set([
  'ni',
  'eu',
  'os',
  'pan',
  'na',
  'dan',
  'da',
  'fe',
  'yr',
  'dim',
  // if, why, what, every, until: also "PE", "Pam", "Beth", "Bob", "tan" in English answers.
  'pe',
  'pam',
  'beth',
  'bob',
  'tan',
]);
// "bai" alone is also "blame"; joined ("pe bai’r", "bai’n") it is "were".
const welshJoinable = new Set([...welshStopWords, ...welshOnlyStopWords, 'e', 'ti', 'bai']);

/**
 * Words a Welsh function word is written joined to ("mae’n", "rwy’n", "i’r", "o’r", "ni’n"): the
 * word before the apostrophe a Welsh function word (or one left out above as also English, which
 * joined like this is Welsh), the part after one of Welsh's short forms ('n yn, 'r y/yr, 'w ei/eu,
 * 'u eu, 'th dy, 'i ei). English words so written ("rock'n") are not function words of either.
 */
export function isWelshJoinedFunctionWord(token: string): boolean {
  // Most tokens have no apostrophe: the engine reads every word of every answer through here.
  if (!token.includes("'") && !token.includes('’') && !token.includes('ʼ')) return false;
  const match = /^(.+)['’ʼ](n|r|w|u|th|i)$/.exec(token);
  return match !== null && welshJoinable.has(match[1]!);
}
