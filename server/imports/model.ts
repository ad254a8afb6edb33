import mongoose, { type Connection, type Model } from 'mongoose';
import { modelOn } from '../db/models.js';

/** Which column of the file became which question, so that importing the file again lands in the same place. */
export interface ImportedColumn {
  name: string;
  questionId: string;
  role: 'text' | 'attribute';
}

export interface ImportedSurveyRecord {
  _id: string;
  /** The survey definition, as JSON text: validated by the same schema as a hosted survey's file. */
  definition: string;
  layout: string;
  columns: ImportedColumn[];
  by: string;
  createdAt: Date;
  updatedAt: Date;
  /** Bumped by every write: a write names the revision it read, so two imports cannot lose each other's values. */
  revision?: number;
}

const importedSurveySchema = new mongoose.Schema<ImportedSurveyRecord>(
  {
    _id: String,
    definition: { type: String, required: true },
    layout: { type: String, required: true },
    columns: [{ _id: false, name: String, questionId: String, role: String }],
    by: String,
    createdAt: Date,
    updatedAt: Date,
    revision: Number,
  },
  { versionKey: false, strict: 'throw' },
);

export function importedSurveyModel(connection: Connection): Model<ImportedSurveyRecord> {
  return modelOn(connection, 'ImportedSurvey', importedSurveySchema);
}
