import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';

const testApp = useTestApp();

// The app counts sign-in attempts, bumps change counters and adds redactions with single-document
// update operators, and relies on each being applied whole, as MongoDB does. FerretDB 1.24 did not
// (50 parallel $inc ended at 15); the build patches it. This fails on an unpatched server.
describe('single-document updates under concurrency', () => {
  it('applies 50 parallel $inc on one document exactly 50 times, each returning its own count', async () => {
    const collection = testApp.connection.db!.collection<{ _id: string; n?: number }>('atomic_probe');
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        collection.findOneAndUpdate({ _id: 'counter' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' }),
      ),
    );
    expect((await collection.findOne({ _id: 'counter' }))?.n).toBe(50);
    expect(new Set(results.map((document) => document?.n)).size).toBe(50);
  });

  it('keeps every element of 20 parallel $addToSet updates', async () => {
    const collection = testApp.connection.db!.collection<{ _id: string; items: string[] }>('atomic_probe');
    await collection.insertOne({ _id: 'set', items: [] });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => collection.updateOne({ _id: 'set' }, { $addToSet: { items: `item ${i}` } })),
    );
    expect((await collection.findOne({ _id: 'set' }))?.items).toHaveLength(20);
  });
});
