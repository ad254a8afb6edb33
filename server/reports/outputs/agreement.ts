import { coderNames } from '../../auth/service.js';
import type { CodingTarget } from '../../coding/target.js';
import type { Output, ReportContext } from '../output.js';
import { questionAgreement } from '../themes.js';

/** Agreement between coders on one question, per code and overall, with the disagreements. */
export async function agreementOutput(
  context: ReportContext,
  target: CodingTarget,
  showCodes: boolean,
): Promise<Output> {
  const result = questionAgreement(target);
  const names = await coderNames(context.users);
  const nameOf = (id: string) => names.get(id) ?? id;
  return {
    filename: `${target.survey.id}-${target.question.id}-agreement`,
    view: 'reports/agreement',
    locals: () => ({ target, result, names, showCodes }),
    table: () => ({
      header: ['code_id', 'code_name', 'answers', 'percent_agreement', 'cohen_kappa', 'krippendorff_alpha'],
      rows: [
        { id: 'overall', name: 'All codes', stats: result.overall },
        ...result.perCode.map(({ code, result: stats }) => ({ id: code.codeId, name: code.name, stats })),
      ].map(({ id, name, stats }) => [
        id,
        name,
        result.units,
        stats.percentAgreement,
        stats.cohenKappa,
        stats.krippendorffAlpha,
      ]),
    }),
    json: () => ({
      coders: result.coders.map(nameOf),
      units: result.units,
      overall: result.overall,
      perCode: result.perCode.map(({ code, result: stats }) => ({ codeId: code.codeId, ...stats })),
      disagreementCount: result.disagreements.length,
      disagreements: (showCodes ? result.disagreements : []).map(({ unit, byCoder, reconciled }) => ({
        responseId: unit.responseId,
        reconciled,
        byCoder: byCoder.map(({ coderId, codes }) => ({ coder: nameOf(coderId), codes: [...codes] })),
      })),
    }),
  };
}
