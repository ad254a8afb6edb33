import { hasRole, type SessionUser } from '../../auth/roles.js';
import { coderNames } from '../../auth/service.js';
import { mayCompareCoders } from '../../coding/settings.js';
import type { CodingTarget } from '../../coding/target.js';
import type { Output, ReportContext } from '../output.js';
import { quotesByCode } from '../quotes.js';

/**
 * Quotes by code. The page lists every consented answer for analysts to review (starred first);
 * downloads carry only starred quotes, the ones reviewed for redaction. On the page, leads and
 * admins see who starred each quote by name; analysts see their own star and a count of others'.
 */
export async function quotesOutput(
  context: ReportContext,
  target: CodingTarget,
  downloading: boolean,
  user: SessionUser,
): Promise<Output> {
  // Each quote is filed under its answer's codes: under independent coding, colleagues' codes.
  const hidden = !mayCompareCoders(user, target.settings);
  const byCode = hidden ? [] : await quotesByCode(context, target, { exportOnly: downloading });
  const names = !downloading && hasRole(user, 'lead') ? await coderNames(context.users) : undefined;
  const flat = () =>
    byCode.flatMap(({ code, quotes }) =>
      // Who starred a quote stays in the back office.
      quotes.map(({ starredBy: _starredBy, ...quote }) => ({
        codeId: code.codeId,
        codeName: code.name,
        ...quote,
        attribution: `(${quote.attribution})`,
      })),
    );
  return {
    filename: `${target.survey.id}-${target.question.id}-quotes`,
    view: 'reports/quotes',
    locals: () => ({ target, byCode, names, hidden }),
    table: () => ({
      header: ['code_id', 'code_name', 'quote', 'language', 'attribution', 'response_id'],
      rows: flat().map((quote) => [
        quote.codeId,
        quote.codeName,
        quote.text,
        quote.language,
        quote.attribution,
        quote.responseId,
      ]),
    }),
    json: flat,
  };
}
