import type { Unit } from '../coding/read-model.js';
import { analyse, domainStopWords, isStopWord, stem } from './text.js';
import { welshOnlyStopWords } from './welsh-stop-words.js';

const welshOnlyStems = new Set([...welshOnlyStopWords].map(stem));

/** A piece of an answer's text, marked when it is what the search found. */
export interface Segment {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  unit: Unit;
  segments: Segment[];
  /** For "similar to this answer": the cosine similarity, 0 to 1. */
  similarity?: number;
}

interface Token {
  start: number;
  end: number;
  stem: string;
}

/** A word; or the field's section shorthand as one word ("s.47", "S47", "s.20"), not the letter s and a number. */
const wordPattern = /(?<![\p{L}\p{N}])[sS]\.?\p{N}+(?![\p{L}\p{N}])|[\p{L}\p{N}]+(?:['’ʼ]\p{L}+)?/gu;
/** "s.47" is searched for and found as "s47". */
const sectionWord = (word: string) => word.replace(/^s\.(?=\p{N})/u, 's');
/** Apostrophes typed or pasted (straight, curly, the modifier letter) all read as one: `i’r` finds `i'r`. */
const apostrophes = /[’ʼ]/g;
const plain = (text: string) => text.replace(apostrophes, "'");
const tokenCache = new WeakMap<Unit, Token[]>();
const vectorCache = new WeakMap<Unit, Map<string, string>>();

function tokensOf(unit: Unit): Token[] {
  let tokens = tokenCache.get(unit);
  if (!tokens) {
    tokens = [...unit.text.matchAll(wordPattern)].map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
      stem: stem(sectionWord(plain(match[0].toLowerCase())).replace(/'s$/, '')),
    }));
    tokenCache.set(unit, tokens);
  }
  return tokens;
}

/** Words (all must be there, in any form: "delay" finds "delays") and "phrases in quotes" (exactly). */
export interface ParsedSearch {
  words: string[];
  phrases: string[];
}

export function parseSearch(query: string): ParsedSearch {
  const phrases: string[] = [];
  // A phrase in straight or curly quotes; one left open runs to the end of the search.
  const rest = plain(query)
    .replace(/["“”„]([^"“”„]*)(?:["“”„]|$)/g, (_quoted, phrase: string) => {
      phrases.push(phrase.trim().replace(/\s+/g, ' ').toLowerCase());
      return ' ';
    })
    .toLowerCase();
  const words = [...rest.matchAll(wordPattern)]
    .map((match) => sectionWord(match[0]).replace(/'s$/, ''))
    .filter((word) => !isStopWord(word));
  return { words: [...new Set(words.map(stem))], phrases: [...new Set(phrases.filter(Boolean))] };
}

/** Answers holding every word and phrase of the search, each with what matched marked. */
export function searchAnswers(units: Unit[], search: ParsedSearch): SearchHit[] {
  if (search.words.length === 0 && search.phrases.length === 0) return [];
  const everywhere = new Set(search.words);
  // Words that are stop words only in Welsh ("yr", "dim", "fe"): not what a Welsh answer is about,
  // and written joined there as often ("i’r ysgol" for "yr ysgol"), so not required of one.
  const inWelsh = new Set(search.words.filter((word) => !welshOnlyStems.has(word)));
  const patterns = search.phrases.map(phrasePattern);
  const hits: SearchHit[] = [];
  for (const unit of units) {
    const wanted = unit.language === 'cy' ? inWelsh : everywhere;
    if (wanted.size === 0 && patterns.length === 0) continue;
    const tokens = tokensOf(unit);
    const found = new Set(tokens.filter((token) => wanted.has(token.stem)).map((token) => token.stem));
    if (found.size < wanted.size) continue;
    const phraseRanges = patterns.map((pattern) =>
      [...unit.text.matchAll(pattern)].map((match) => [match.index, match.index + match[0].length] as const),
    );
    if (phraseRanges.some((ranges) => ranges.length === 0)) continue;
    const ranges = tokens.filter((token) => wanted.has(token.stem)).map((token) => [token.start, token.end] as const);
    hits.push({ unit, segments: segmentsOf(unit.text, [...ranges, ...phraseRanges.flat()]) });
  }
  return hits;
}

/**
 * A phrase as written, whatever its letter case, spacing and apostrophes, as whole words: "aid"
 * finds "legal aid" but not "said".
 */
function phrasePattern(phrase: string): RegExp {
  const words = phrase
    .split(' ')
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’ʼ]"))
    .join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'giu');
}

/** The text cut into marked and unmarked segments (overlapping ranges merged). */
export function segmentsOf(text: string, ranges: (readonly [number, number])[]): Segment[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const segments: Segment[] = [];
  let at = 0;
  for (const [start, end] of sorted) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) segments.push({ text: text.slice(at, from), hit: false });
    segments.push({ text: text.slice(from, end), hit: true });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), hit: false });
  return segments;
}

/**
 * An answer's words and phrases (stemmed, negation-aware, without the field's everyday words), each
 * once, with the words it was written in.
 */
export function featuresOf(unit: Unit): Map<string, string> {
  let features = vectorCache.get(unit);
  if (!features) {
    features = analyse(unit.text, { dropDomainWords: true, welsh: unit.language === 'cy' }).features;
    vectorCache.set(unit, features);
  }
  return features;
}

/** Inverse document frequency of every feature over a question's answers. */
export function inverseFrequencies(units: Unit[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const unit of units)
    for (const feature of featuresOf(unit).keys()) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [feature, count] of counts) idf.set(feature, Math.log((1 + units.length) / (1 + count)) + 1);
  return idf;
}

/** TF-IDF vector (words, and phrases at half weight), unit length. */
export function weighted(unit: Unit, idf: Map<string, number>): Map<string, number> {
  const vector = new Map<string, number>();
  let norm = 0;
  for (const feature of featuresOf(unit).keys()) {
    // A phrase counts half: it repeats the words it is made of.
    const weight = (idf.get(feature) ?? 1) * (feature.includes(' ') ? 0.5 : 1);
    vector.set(feature, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [feature, weight] of vector) vector.set(feature, weight / norm);
  return vector;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [feature, weight] of small) sum += weight * (large.get(feature) ?? 0);
  return sum;
}

/** Answers most like this one (TF-IDF cosine), the closest first, with the words they share marked. */
export function similarAnswers(units: Unit[], like: Unit, { limit = 50, minimum = 0.1 } = {}): SearchHit[] {
  const idf = inverseFrequencies(units);
  const target = weighted(like, idf);
  const scored = units
    .filter((unit) => unit !== like)
    .map((unit) => ({ unit, similarity: cosine(target, weighted(unit, idf)) }))
    .filter((entry) => entry.similarity >= minimum)
    .sort((a, b) => b.similarity - a.similarity || a.unit.index - b.unit.index)
    .slice(0, limit);
  const shared = new Set([...target.keys()].filter((feature) => !feature.includes(' ')));
  return scored.map(({ unit, similarity }) => {
    const ranges = tokensOf(unit)
      .filter(
        (token) =>
          shared.has(token.stem) && !domainStopWords.has(unit.text.slice(token.start, token.end).toLowerCase()),
      )
      .map((token) => [token.start, token.end] as const);
    return { unit, similarity, segments: segmentsOf(unit.text, ranges) };
  });
}
