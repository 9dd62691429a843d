import { draftAuthorityNotice, draftSubjectNotice, type NoticeDraft } from '../core/breach-notice-drafts.ts';
import { governanceSettings } from '../config-schema.ts';
import { renderNoticeHtml, renderNoticePdf } from '../render/notice-renderings.ts';
import { readBreach } from '../store/breach-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import type { RenderedDocument } from './export-ropa.ts';
import type { GovernanceDeps } from './governance-deps.ts';

/**
 * The draft notification of a breach: to the authority (Art. 33(3)(a)–(d), with the timing of
 * 33(1) and the phase of 33(4)) or to the subjects in plain language (Art. 34(2)), as JSON, HTML or PDF.
 */
export async function draftBreachNotice(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  audience: 'authority' | 'subjects',
  format: 'json' | 'html' | 'pdf',
  now = new Date(),
): Promise<{ draft: NoticeDraft; document: RenderedDocument }> {
  const breach = await readBreach(governanceDb(deps.database.db), tenantId, id);
  if (!breach) throw new NotFound('governance.breach_not_found', `No breach ${id} in the register.`, { id });
  const { timeZone } = governanceSettings(deps.config);
  const draft =
    audience === 'authority'
      ? draftAuthorityNotice(breach, timeZone, now)
      : draftSubjectNotice(breach, timeZone);
  const filename = `breach-${id.slice(0, 8)}-${audience}.${format}`;
  if (format === 'json')
    return {
      draft,
      document: { contentType: 'application/json', filename, body: `${JSON.stringify(draft, null, 2)}\n` },
    };
  if (format === 'html')
    return {
      draft,
      document: { contentType: 'text/html; charset=utf-8', filename, body: renderNoticeHtml(draft) },
    };
  return {
    draft,
    document: { contentType: 'application/pdf', filename, body: await renderNoticePdf(draft) },
  };
}
