import type { Connection } from 'mongoose';
import { responseModel } from '../surveys/responses/model.js';
import { importedSurveyModel } from './model.js';

export interface ImportedSurveyListing {
  id: string;
  title: string;
  layout: string;
  respondents: number;
  updatedAt: Date;
}

/** The imported surveys, newest first, with how many respondents each holds. */
export async function importedSurveys(connection: Connection): Promise<ImportedSurveyListing[]> {
  const records = await importedSurveyModel(connection)
    .find({}, { definition: 1, layout: 1, updatedAt: 1 })
    .sort({ updatedAt: -1 })
    .lean();
  const responses = responseModel(connection);
  return Promise.all(
    records.map(async (record) => ({
      id: record._id,
      title: (JSON.parse(record.definition) as { title: { en: string } }).title.en,
      layout: record.layout,
      respondents: await responses.countDocuments({ surveyId: record._id, status: 'submitted' }),
      updatedAt: record.updatedAt,
    })),
  );
}
