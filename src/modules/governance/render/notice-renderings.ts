import type { NoticeDraft } from '../core/breach-notice-drafts.ts';
import { escapeHtml, htmlDocument } from './html-document.ts';
import { renderPdf } from './pdf-document.ts';

/** A notification draft as a printable page. */
export function renderNoticeHtml(draft: NoticeDraft): string {
  const sections = draft.sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}${s.article ? ` <span class="article">${escapeHtml(s.article)}</span>` : ''}</h2><p>${escapeHtml(s.text)}</p>`,
    )
    .join('\n');
  const missing = draft.missing.length
    ? `<p class="missing">Still to complete: ${escapeHtml(draft.missing.join('; '))}.</p>`
    : '';
  return htmlDocument(
    draft.title,
    `<h1>${escapeHtml(draft.title)}</h1><p class="meta">Draft · ${draft.phase === 'initial' ? 'initial notification' : 'follow-up (Art. 33(4))'}</p>${missing}\n${sections}`,
  );
}

/** A notification draft as a PDF. */
export function renderNoticePdf(draft: NoticeDraft): Promise<Buffer> {
  return renderPdf({
    title: draft.title,
    meta: `Draft · ${draft.phase === 'initial' ? 'initial notification' : 'follow-up (Art. 33(4))'}${draft.missing.length ? ` · still to complete: ${draft.missing.join('; ')}` : ''}`,
    sections: [
      {
        heading:
          draft.audience === 'authority'
            ? 'Notification to the supervisory authority (Art. 33)'
            : 'Communication to the data subjects (Art. 34)',
        rows: draft.sections.map((s) => ({
          label: s.heading,
          ...(s.article ? { article: s.article } : {}),
          lines: [s.text],
        })),
      },
    ],
  });
}
