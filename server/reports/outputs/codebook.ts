import { activeCodes, getCodebook } from '../../codebooks/service.js';
import type { ReportContext } from '../output.js';
import { codebookToQdc } from '../qdc.js';

/** The codebook as analysts have refined it, as REFI-QDA XML for NVivo, MAXQDA, ATLAS.ti and QualCoder. */
export async function codebookQdc(
  context: ReportContext,
  codebookId: string,
): Promise<{ filename: string; xml: string }> {
  const codebook = await getCodebook(context.codebooks, codebookId);
  return { filename: `${codebook.id}.qdc`, xml: codebookToQdc(codebook.id, activeCodes(codebook)) };
}
