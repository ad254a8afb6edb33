import { autoCoderForFile } from '../../server/autocode/codebook.js';
import { loadCodebookFile } from '../../server/codebooks/files.js';
import { parseSearch, searchAnswers, similarAnswers } from '../../server/autocode/answer-search.js';
import { groupAnswers } from '../../server/autocode/themes.js';
import { answerText, random, summarise } from './dataset.js';

/** Scoring throughput on one core (this loop is single-threaded) and the cost of learning one more answer. */
export async function benchAutocode(): Promise<void> {
  const book = loadCodebookFile('care-crisis-drivers')!;
  const next = random(11);
  const answers = Array.from({ length: 10_000 }, () => answerText(next, 100));
  const words = answers.reduce((sum, text) => sum + text.split(/\s+/).length, 0) / answers.length;
  const coder = autoCoderForFile(book);
  coder.suggest(answers[0]!);
  let started = performance.now();
  for (const text of answers) coder.suggest(text, 3);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `scoring: ${answers.length} answers of ~${words.toFixed(0)} words against ${book.codes.length} codes in ${seconds.toFixed(2)} s = ${(answers.length / seconds).toFixed(0)} answers/s (cold start)`,
  );

  const codes = book.codes.map((code) => code.id);
  started = performance.now();
  for (let i = 0; i < 5000; i++)
    coder.learn(`a${i}`, answers[i]!, [codes[i % codes.length]!, codes[(i * 3) % codes.length]!]);
  console.log(`learning 5,000 coded answers: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  const learnTimes: number[] = [];
  for (let i = 5000; i < 5200; i++) {
    const t = performance.now();
    coder.learn(`a${i}`, answers[i]!, [codes[i % codes.length]!]);
    learnTimes.push(performance.now() - t);
  }
  console.log(summarise('learning one more answer with 5,000+ learned', learnTimes));
  started = performance.now();
  for (const text of answers) coder.suggest(text, 3);
  const trainedSeconds = (performance.now() - started) / 1000;
  console.log(`scoring after learning: ${(answers.length / trainedSeconds).toFixed(0)} answers/s`);

  // Code by search and emerging themes over one question's answers (first call: answers analysed).
  const units = answers.map((text, index) => ({
    responseId: String(index),
    text,
    quoteConsent: true,
    index,
  }));
  started = performance.now();
  const hits = searchAnswers(units, parseSearch('caseloads "early help"'));
  console.log(
    `code by search: words and a phrase over ${units.length} answers: ${(performance.now() - started).toFixed(0)} ms (${hits.length} hits)`,
  );
  started = performance.now();
  similarAnswers(units, units[0]!);
  console.log(
    `code by search: answers similar to one, over ${units.length}: ${(performance.now() - started).toFixed(0)} ms`,
  );
  started = performance.now();
  const groups = groupAnswers(units.slice(0, 3000));
  console.log(
    `emerging themes: grouping 3,000 answers: ${(performance.now() - started).toFixed(0)} ms (${groups.length} groups)`,
  );
}
