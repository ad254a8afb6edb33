import mongoose, { type Connection, type InferSchemaType, type Model } from 'mongoose';

export const responseStatuses = ['draft', 'submitted'] as const;

/**
 * One respondent's answers to one survey: a draft while they fill it in, then submitted once.
 * Holds no name, email or IP address; the resume token is kept only as a hash.
 */
const responseSchema = new mongoose.Schema(
  {
    surveyId: { type: String, required: true },
    surveyVersion: { type: Number, required: true },
    tokenHash: { type: String, required: true, unique: true },
    status: { type: String, enum: responseStatuses, required: true, default: 'draft' },
    /** The language the response was written in (see `answeredLanguage`); while a draft, the one it was last saved in. */
    language: { type: String, required: true, default: 'en' },
    /** The language each page was answered in, by page id: decides `language` at submit. */
    pageLanguages: { type: mongoose.Schema.Types.Mixed, default: {} },
    answers: { type: mongoose.Schema.Types.Mixed, default: {} },
    otherText: { type: mongoose.Schema.Types.Mixed, default: {} },
    finishedPages: { type: [String], default: [] },
    submittedAt: { type: Date },
    /** The short reference shown on the thank-you page (responseReference), for a request to erase it. */
    reference: { type: String },
    /** When the retention rules anonymised it further (answers that could single someone out removed, times to the month). */
    anonymisedAt: { type: Date },
  },
  { timestamps: true, minimize: false, strict: 'throw' },
);
responseSchema.index({ surveyId: 1, status: 1 });

export type ResponseDocument = InferSchemaType<typeof responseSchema> & { _id: mongoose.Types.ObjectId };
export type ResponseModel = Model<InferSchemaType<typeof responseSchema>>;

export function responseModel(connection: Connection): ResponseModel {
  return (connection.models.Response as ResponseModel | undefined) ?? connection.model('Response', responseSchema);
}
