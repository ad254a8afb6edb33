import mongoose, { type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { modelOn } from '../db/models.js';
import { londonDayEnd, londonDayStart } from './london-time.js';
import type { Survey } from './registry.js';

interface ScheduleRecord {
  _id: string;
  opens: Date;
  closes: Date;
  by: string;
  at: Date;
}

const CACHE_MS = 5_000;

const scheduleSchema = new mongoose.Schema<ScheduleRecord>(
  { _id: String, opens: Date, closes: Date, by: String, at: Date },
  { versionKey: false },
);

export interface OpeningDates {
  opens: Date;
  closes: Date;
}

export const datesInputSchema = z
  .object({
    opens: z.iso.date('Enter the opening date as YYYY-MM-DD'),
    closes: z.iso.date('Enter the closing date as YYYY-MM-DD'),
  })
  // Whole days: a survey may open and close on the same day.
  .refine((dates) => dates.opens <= dates.closes, {
    message: 'The closing date must be on or after the opening date',
    path: ['closes'],
  });
export type DatesInput = z.infer<typeof datesInputSchema>;

/** The review team's open and close dates, which override the definition file's once set. */
export class SurveySchedules {
  private readonly schedules: Model<ScheduleRecord>;

  /** Every survey request asks whether the survey is open; a few seconds' staleness costs nothing. */
  private readonly cache = new Map<string, { dates: OpeningDates; until: number }>();

  constructor(connection: Connection) {
    this.schedules = modelOn(connection, 'SurveySchedule', scheduleSchema);
  }

  async datesOf(survey: Survey): Promise<OpeningDates> {
    const cached = this.cache.get(survey.id);
    if (cached && cached.until > Date.now()) return cached.dates;
    const stored = await this.schedules.findById(survey.id).lean();
    const dates = stored ? { opens: stored.opens, closes: stored.closes } : survey.definedDates();
    this.cache.set(survey.id, { dates, until: Date.now() + CACHE_MS });
    return dates;
  }

  async isOpen(survey: Survey, now: Date): Promise<boolean> {
    if (survey.origin === 'imported') return false;
    const { opens, closes } = await this.datesOf(survey);
    return now >= opens && now < closes;
  }

  /** Dates are whole days in London: open from the start of `opens` to the end of `closes`, in GMT or BST. */
  async setDates(survey: Survey, input: DatesInput, by: string, now = new Date()): Promise<void> {
    const opens = londonDayStart(input.opens);
    const closes = londonDayEnd(input.closes);
    await this.schedules.updateOne({ _id: survey.id }, { $set: { opens, closes, by, at: now } }, { upsert: true });
    this.cache.delete(survey.id);
  }
}
