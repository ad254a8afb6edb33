import fs from 'node:fs';
import type { Collection } from 'mongoose';

/** Resident memory of a process now and at its peak, from /proc (Linux). */
function memoryOf(pid: number): { peakMb: number; nowMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, nowMb: kb('VmRSS') / 1024 };
}

/**
 * Starts a fresh peak for the process, so the peak read afterwards is this download's and not
 * start-up's (Linux 4.0+); where that is refused, the sampled peak below still holds.
 */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds a process has used so far (user and system), from /proc (Linux, 100 ticks a second). */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The middle value, or the mean of the middle two (with two rounds, the upper one alone would be the best). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
const rate = (count: number, started: number) => count / ((performance.now() - started) / 1000);

/** The engine's raw rate: a plain cursor over the survey's submitted responses, counting documents. */
async function rawFind(responses: Collection): Promise<{ count: number; perSecond: number }> {
  const started = performance.now();
  let count = 0;
  for await (const _response of responses.find({ surveyId: 'professionals', status: 'submitted' })) count++;
  return { count, perSecond: rate(count, started) };
}

/** The responses CSV over HTTP, as a browser would take it: rows (lines less the header) and bytes. */
async function csvDownload(call: (url: string) => Promise<Response>) {
  const started = performance.now();
  const csv = await call('/admin/exports/professionals/responses.csv');
  let rows = -1;
  let bytes = 0;
  const reader = csv.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    // indexOf, not a loop over every byte: the counting must not take CPU from the two it measures.
    for (let at = value.indexOf(10); at !== -1; at = value.indexOf(10, at + 1)) rows++;
  }
  return { rows, bytes, perSecond: rate(rows, started) };
}

/**
 * The responses CSV against the engine's raw find() over the same documents, in turns in one run
 * (the machine is shared, so only figures taken side by side compare), with the app's memory
 * while it streams: its peak and where it ends, which should not grow with the number of rows.
 */
export async function csvAgainstFind(
  size: number,
  appPid: number,
  call: (url: string) => Promise<Response>,
  responses: Collection,
  rounds = size > 50_000 ? 2 : 3,
): Promise<void> {
  const finds: number[] = [];
  const csvs: number[] = [];
  const ratios: number[] = [];
  let appCpu = 0;
  let csvRows = 0;
  const before = memoryOf(appPid);
  const peakReset = resetPeak(appPid);
  let sampledPeak = before.nowMb;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, memoryOf(appPid).nowMb)), 50);
  let last = { rows: 0, bytes: 0 };
  try {
    for (let round = 0; round < rounds; round++) {
      const find = await rawFind(responses);
      const cpuBefore = cpuOf(appPid);
      const csv = await csvDownload(call);
      appCpu += cpuOf(appPid) - cpuBefore;
      csvRows += csv.rows;
      if (csv.rows !== find.count) throw new Error(`CSV has ${csv.rows} rows, find() ${find.count} documents`);
      finds.push(find.perSecond);
      csvs.push(csv.perSecond);
      ratios.push(csv.perSecond / find.perSecond);
      last = csv;
    }
  } finally {
    clearInterval(sampler);
  }
  const after = memoryOf(appPid);
  const peak = Math.max(sampledPeak, peakReset ? after.peakMb : 0);
  const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
  console.log(
    `${size} responses: raw find() ${Math.round(median(finds))} docs/s, responses CSV over HTTP ${Math.round(median(csvs))} rows/s ` +
      `(${last.rows} rows, ${(last.bytes / 1e6).toFixed(1)} MB): CSV/find ${percent(median(ratios))} ` +
      `(median of ${rounds} side-by-side rounds: ${ratios.map(percent).join(', ')}; ` +
      `best of each ${Math.round(Math.max(...finds))} vs ${Math.round(Math.max(...csvs))} = ${percent(Math.max(...csvs) / Math.max(...finds))})`,
  );
  // CPU time barely depends on what else the machine runs, so it compares builds where rates, on a busy machine, cannot.
  console.log(
    `${size} responses: the app's own CPU while writing the CSV: ${((appCpu / csvRows) * 10_000).toFixed(2)} s per 10,000 rows`,
  );
  console.log(
    `${size} responses: app RSS before ${before.nowMb.toFixed(0)} MB, peak while streaming ${peak.toFixed(0)} MB` +
      `${peakReset ? '' : ' (sampled)'}, after ${after.nowMb.toFixed(0)} MB`,
  );
}
