// Text analysis for suggestions, built on natural's Porter stemmer and stop words.
// natural's sub-modules are imported directly: its index also loads storage back-ends we do not use.
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { words as naturalStopWords } from 'natural/lib/natural/util/stopwords.js';
import { isWelshJoinedFunctionWord, welshOnlyStopWords, welshStopWords } from './welsh-stop-words.js';

/**
 * Abbreviations common in children's social care, expanded beside the original so either form
 * matches. Short ones match only in capitals ("LA", not "la").
 */
const abbreviations: [RegExp, string][] = [
  [/\bLAs\b/g, 'local authorities'],
  [/\bLA\b/g, 'local authority'],
  [/\bNQSWs?\b/gi, 'newly qualified social worker'],
  [/\bSWs\b/g, 'social workers'],
  [/\bSW\b/g, 'social worker'],
  [/\bCAMHS\b/gi, 'child and adolescent mental health services'],
  [/\bFGCs?\b/gi, 'family group conference'],
  [/\bSGOs?\b/gi, 'special guardianship order'],
  [/\bLASPO\b/gi, 'legal aid cuts'],
  [/\bUC\b/g, 'universal credit'],
  [/\bDV\b/g, 'domestic violence'],
  [/\bDA\b/g, 'domestic abuse'],
  [/\bCSE\b/g, 'child sexual exploitation'],
  [/\bCCE\b/g, 'child criminal exploitation'],
  [/\bCP\b/g, 'child protection'],
  [/\bCIN\b/g, 'child in need'],
  [/\bLAC\b/g, 'looked after children'],
  [/\bCLA\b/g, 'children looked after'],
  [/\bPLO\b/g, 'public law outline pre-proceedings'],
  [/\bFDAC\b/gi, 'family drug and alcohol court'],
  [/\bACEs\b/g, 'adverse childhood experiences'],
  [/\bMH\b/g, 'mental health'],
  [/\bIROs?\b/g, 'independent reviewing officer'],
  [/\bPAs?\b/g, 'personal adviser'],
  [/\bDfE\b/g, 'government'],
  [/\bMASH\b/g, 'safeguarding hub referrals'],
  [/\bCafcass\b/gi, 'court guardian'],
  [/\bNFA\b/g, 'no further action'],
  [/\bDSLs?\b/g, 'school designated safeguarding lead'],
  [/\bGPs?\b/g, 'doctor health'],
  [/\b[IR]CPCs?\b/g, 'child protection conference'],
  [/\bSWETs?\b/g, 'court statement'],
  [/\bASYE\b/g, 'newly qualified social worker'],
  [/\bDCS\b/g, 'director of children services leadership'],
  [/\bILACS\b/g, 'ofsted inspection'],
  [/\bFRG\b/g, 'family rights group advice'],
  [/\bEHCPs?\b/g, 'education health and care plan'],
  [/\bUASC\b/g, 'unaccompanied asylum seeking children'],
  [/\bB&B\b/g, 'temporary accommodation housing'],
  [/\bs\.?\s?20\b/gi, 'section 20'],
  [/\bs\.?\s?76\b/gi, 'section 76'],
  [/\bs\.?\s?47\b/gi, 'section 47 child protection'],
];

/** US spellings to the British ones the codebooks use, so both stem alike. */
const spellings: [RegExp, string][] = [
  [/\b(\w{3,})iz(e|es|ed|ing|ation|ations|er|ers)\b/g, '$1is$2'],
  [/\b(\w{2,})yz(e|es|ed|ing)\b/g, '$1ys$2'],
  [/\b(behavi|lab|col|fav|neighb|hon|rum)or(s|ed|ing|al)?\b/g, '$1our$2'],
  [/\bcent(er)(s)?\b/g, 'centre$2'],
  [/\bdefense\b/g, 'defence'],
  [/\bjudgment(s)?\b/g, 'judgement$1'],
  [/\bprogram(s)?\b/g, 'programme$1'],
  [/\bmom(s)?\b/g, 'mum$1'],
];

export const negationCues = new Set([
  'not',
  'no',
  'never',
  'without',
  'none',
  'nothing',
  'nobody',
  'neither',
  'nor',
  'cannot',
  'hardly',
]);
/** "not just X but Y" keeps X. */
const softeners = new Set(['just', 'only', 'simply', 'merely', 'solely', 'entirely', 'purely', 'least']);
const scopeEnders = new Set([
  'but',
  'however',
  'although',
  'though',
  'yet',
  'instead',
  'whereas',
  'while',
  'because',
  'so',
  'and',
  'until',
  'unless',
]);
const NEGATION_REACH = 5;

/** natural's English stop words, less the negations this engine needs to see, and Welsh function words (also joined: "mae’n"). */
export const stopWords = new Set([...naturalStopWords.filter((word) => !negationCues.has(word)), ...welshStopWords]);
export const isStopWord = (token: string) => stopWords.has(token) || isWelshJoinedFunctionWord(token);
/** Words too common in this field to say anything about a theme on their own. */
export const domainStopWords = new Set([
  'child',
  'children',
  'young',
  'people',
  'family',
  'families',
  'parent',
  'parents',
  'social',
  'care',
  'work',
  'practice',
  'think',
  'lot',
  'many',
  'much',
  'really',
  'also',
  'get',
  'got',
  'make',
  'made',
  'need',
  'needs',
  'one',
  'way',
  'thing',
  'things',
  'us',
  'we',
  'year',
  'years',
  'time',
  'now',
  'still',
  'even',
  'just',
  'like',
  'would',
  'could',
  'should',
  'every',
  'everyone',
  'anyone',
  'nobody',
  'someone',
]);

const stemCache = new Map<string, string>();
export function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = PorterStemmer.stem(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** Lower case, British spelling, expanded abbreviations, and "n't" as "not". */
export function normalise(text: string): string {
  let result = text;
  for (const [pattern, expansion] of abbreviations)
    result = result.replace(pattern, (match) => `${match} ${expansion}`);
  result = result.toLowerCase().replace(/[’‘`]/g, "'");
  result = result
    .replace(/\b(can)'t\b/g, '$1 not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/n't\b/g, ' not');
  for (const [pattern, replacement] of spellings) result = result.replace(pattern, replacement);
  return result;
}

export interface Analysis {
  /** Feature (a stem, or two stems joined by a space) → the words it came from. */
  features: Map<string, string>;
  /** The normalised text padded with spaces, for whole-phrase matching. */
  padded: string;
}

const tokenPattern = /[a-z0-9]+(?:'[a-z]+)?|[.,;:!?()\n]/g;

/** Content words and pairs, not words a negation governs; `welsh`: also Welsh words that are English shorthand. */
export function analyse(text: string, { dropDomainWords = false, welsh = false } = {}): Analysis {
  const isStop = (token: string) => isStopWord(token) || (welsh && welshOnlyStopWords.has(token));
  const normalised = normalise(text);
  const tokens = normalised.match(tokenPattern) ?? [];
  const features = new Map<string, string>();
  const content: { stem: string; word: string }[] = [];
  let negatedFor = 0;
  // Each pair of neighbouring content words, named by the words of its first occurrence.
  const flushRun = () => {
    for (let i = 0; i + 1 < content.length; i++) {
      const key = `${content[i]!.stem} ${content[i + 1]!.stem}`;
      if (!features.has(key)) features.set(key, `${content[i]!.word} ${content[i + 1]!.word}`);
    }
    content.length = 0;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (/^[.,;:!?()\n]$/.test(token)) {
      negatedFor = 0;
      flushRun();
      continue;
    }
    if (negationCues.has(token)) {
      const next = tokens[i + 1] ?? '';
      negatedFor =
        softeners.has(next) || (token === 'not' && next === 'a' && softeners.has(tokens[i + 2] ?? ''))
          ? 0
          : NEGATION_REACH;
      flushRun();
      continue;
    }
    if (token === 'rather' && tokens[i + 1] === 'than') {
      negatedFor = NEGATION_REACH + 1;
      flushRun();
      continue;
    }
    if (scopeEnders.has(token)) negatedFor = 0;
    if (softeners.has(token)) continue;
    if (negatedFor > 0) {
      // A negated word is its own feature: "no help" is evidence, just not for "help".
      negatedFor--;
      flushRun();
      if (!isStop(token) && token.length > 1) {
        const key = `not ${stem(token)}`;
        if (!features.has(key)) features.set(key, `not ${token}`);
      }
      continue;
    }
    if (isStop(token) || token.length < 2 || (dropDomainWords && domainStopWords.has(token))) {
      // A stop word does not break a phrase ("shortage of placements"), a skipped word does.
      if (!isStop(token)) flushRun();
      continue;
    }
    const stemmed = stem(token);
    if (!features.has(stemmed)) features.set(stemmed, token);
    content.push({ stem: stemmed, word: token });
  }
  flushRun();
  return { features, padded: ` ${normalised.replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ')} ` };
}
