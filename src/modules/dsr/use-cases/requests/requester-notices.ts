import type { RequestRow } from './request-record.ts';
import { GDPR_ARTICLE } from './request-types.ts';

/** What the requester reads. Plain text; no personal data besides what they sent us themselves. */
export interface NoticeText {
  subject: string;
  text: string;
}

const TYPE_NAMES: Record<string, string> = {
  access: 'access to your personal data',
  portability: 'a copy of your personal data in a portable format',
  erasure: 'erasure of your personal data',
  rectification: 'correction of your personal data',
  restriction: 'restriction of the processing of your personal data',
  objection: 'objection to the processing of your personal data',
  know: 'to know the personal information we hold about you',
  delete: 'deletion of your personal information',
  correct: 'correction of your personal information',
  opt_out: 'to opt out of the sale or sharing of your personal information',
};

type NoticeRequest = Pick<
  RequestRow,
  | 'id'
  | 'type'
  | 'regime'
  | 'regime_type'
  | 'received_at'
  | 'due_at'
  | 'state'
  | 'outcome_reason'
  | 'extension_reason'
>;

function describe(request: NoticeRequest): string {
  const legal =
    request.regime === 'gdpr' ? GDPR_ARTICLE[request.type] : 'the California Consumer Privacy Act';
  return `your request for ${TYPE_NAMES[request.regime_type] ?? request.type} (${legal}), received on ${day(request.received_at)}, reference ${request.id}`;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export function verificationCodeNotice(
  request: NoticeRequest,
  code: string,
  validMinutes: number,
): NoticeText {
  return {
    subject: `Your verification code: ${code}`,
    text: [
      `We have received ${describe(request)}.`,
      '',
      `To confirm that the request comes from you, enter this code: ${code}`,
      `The code is valid for ${validMinutes} minutes.`,
      '',
      'If you did not make this request, ignore this message; nothing will happen without the code.',
    ].join('\n'),
  };
}

export function acknowledgementNotice(request: NoticeRequest): NoticeText {
  return {
    subject: `We received your privacy request ${request.id}`,
    text: [`We have received ${describe(request)}.`, '', `We will answer by ${day(request.due_at)}.`].join(
      '\n',
    ),
  };
}

export function extensionNotice(request: NoticeRequest): NoticeText {
  return {
    subject: `More time needed for your privacy request ${request.id}`,
    text: [
      `We need more time to answer ${describe(request)}.`,
      `Reason: ${request.extension_reason ?? 'the complexity of the request'}`,
      '',
      `We will answer by ${day(request.due_at)}.`,
    ].join('\n'),
  };
}

/** The closing message; `download` is set for access and portability results. */
export function closingNotice(
  request: NoticeRequest,
  download?: { url: string; expiresAt: Date },
): NoticeText {
  const about = describe(request);
  const complaint =
    request.regime === 'gdpr'
      ? 'You have the right to lodge a complaint with a supervisory authority (GDPR Art. 77) and to seek a judicial remedy (Art. 79).'
      : 'You may contact the California Privacy Protection Agency or the California Attorney General.';
  const bodies: Record<string, string[]> = {
    completed: [`We have completed ${about}.`],
    partially_completed: [
      `We have completed ${about} in part.`,
      `What could not be done: ${request.outcome_reason ?? 'see our privacy team'}.`,
      'Our privacy team will follow up on the rest.',
    ],
    denied: [`We cannot act on ${about}.`, `Reason: ${request.outcome_reason ?? 'not given'}`, '', complaint],
    cancelled: [
      `${capitalise(about)} has been cancelled.`,
      ...(request.outcome_reason ? [`Reason: ${request.outcome_reason}`] : []),
    ],
    failed: [
      `We could not complete ${about} automatically.`,
      'Please reply to this message or submit the request again; our privacy team has been alerted.',
    ],
  };
  const lines = [...(bodies[request.state] ?? [`${capitalise(about)} is now ${request.state}.`])];
  if (download) {
    lines.push(
      '',
      `Download your data here (valid until ${download.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC):`,
      download.url,
    );
  }
  return {
    subject: `Your privacy request ${request.id}: ${request.state.replace('_', ' ')}`,
    text: lines.join('\n'),
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
