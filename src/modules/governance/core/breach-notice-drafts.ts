import { clockStatus, formatInstant, notificationDeadline } from './breach-clock.ts';
import { firstAuthorityNotification, type BreachRecord } from './breach-record.ts';

/** A notice as titled sections, so the same draft renders to HTML, PDF and JSON. */
export interface NoticeDraft {
  audience: 'authority' | 'subjects';
  title: string;
  /** Art. 33(4): which phase this draft is for. */
  phase: 'initial' | 'follow_up';
  sections: { heading: string; article?: string; text: string }[];
  /** Facts still missing; an initial notification may go without them, to be completed in phases. */
  missing: string[];
}

const NATURE_WORDS = {
  confidentiality: 'unauthorised disclosure of or access to personal data (confidentiality)',
  integrity: 'unauthorised alteration of personal data (integrity)',
  availability: 'loss of access to or destruction of personal data (availability)',
} as const;

function natureText(breach: BreachRecord): string {
  const kinds = (Object.keys(NATURE_WORDS) as (keyof typeof NATURE_WORDS)[]).filter((k) => breach.nature[k]);
  return kinds.length ? kinds.map((k) => NATURE_WORDS[k]).join('; ') : 'not yet determined';
}

function countText(breach: BreachRecord): string {
  if (!breach.count) return 'not yet counted';
  const at = formatInstant(new Date(breach.count.countedAt), 'UTC');
  return `approximately ${breach.count.subjects.toLocaleString('en-GB')} data subjects and ${breach.count.records.toLocaleString('en-GB')} records, counted in the affected systems on ${at}`;
}

/**
 * The notification to the supervisory authority with the content of GDPR Art. 33(3)(a)–(d), the
 * timing of Art. 33(1) (and the reasons for a delay) and the phase of Art. 33(4).
 */
export function draftAuthorityNotice(breach: BreachRecord, timeZone: string, now: Date): NoticeDraft {
  const aware = new Date(breach.awareAt);
  const first = firstAuthorityNotification(breach);
  const status = clockStatus({
    awareAt: aware,
    now,
    authorityNotifiedAt: first ? new Date(first.sentAt) : undefined,
    authorityNotificationRequired: breach.decision?.notifyAuthority ?? true,
    delayReason: breach.delayReason,
  });
  const late = status.state === 'overdue' || status.state === 'late';
  const missing: string[] = [];
  if (!breach.count) missing.push('the number of data subjects and records (Art. 33(3)(a))');
  if (!breach.likelyConsequences.trim()) missing.push('the likely consequences (Art. 33(3)(c))');
  if (!breach.measures.trim()) missing.push('the measures taken or proposed (Art. 33(3)(d))');
  if (late && !breach.delayReason) missing.push('the reasons for the delay (Art. 33(1))');
  const sections = [
    {
      heading: 'Timing',
      article: 'Art. 33(1)',
      text: `The controller became aware of the breach on ${formatInstant(aware, timeZone)}. The 72-hour period ends on ${formatInstant(notificationDeadline(aware), timeZone)}.${late ? ` This notification is made after that period. Reasons for the delay: ${breach.delayReason ?? '(to be given)'}.` : ''}`,
    },
    {
      heading: 'Nature of the breach',
      article: 'Art. 33(3)(a)',
      text: `${breach.description.trim()} Kind of breach: ${natureText(breach)}.${breach.occurredAt ? ` It occurred on or about ${formatInstant(new Date(breach.occurredAt), timeZone)}.` : ''}`,
    },
    {
      heading: 'Categories and approximate number of data subjects and records',
      article: 'Art. 33(3)(a)',
      text: `Categories of personal data: ${breach.categories.join(', ') || 'not yet determined'}. Systems concerned: ${breach.affected.map((a) => `${a.system}.${a.collection}`).join(', ') || 'not yet determined'}. Number: ${countText(breach)}.`,
    },
    { heading: 'Contact point', article: 'Art. 33(3)(b)', text: breach.contact || '(to be given)' },
    {
      heading: 'Likely consequences',
      article: 'Art. 33(3)(c)',
      text: breach.likelyConsequences || '(to be assessed)',
    },
    {
      heading: 'Measures taken or proposed',
      article: 'Art. 33(3)(d)',
      text: breach.measures || '(to be described)',
    },
  ];
  if (breach.decision)
    sections.push({
      heading: 'Risk assessment and communication to data subjects',
      article: 'Art. 34',
      text: `${breach.decision.authorityReason}. ${breach.decision.subjectsReason}.`,
    });
  if (missing.length)
    sections.push({
      heading: 'Information to follow',
      article: 'Art. 33(4)',
      text: `Where it is not possible to provide all information at the same time, it is provided in phases. Still to follow: ${missing.join('; ')}.`,
    });
  return {
    audience: 'authority',
    title: `Notification of a personal data breach: ${breach.title}`,
    phase: first ? 'follow_up' : 'initial',
    sections,
    missing,
  };
}

/**
 * The communication to data subjects (Art. 34(2)): in clear and plain language, the nature of the
 * breach and at least the information of Art. 33(3)(b)–(d), plus what the person can do.
 */
export function draftSubjectNotice(breach: BreachRecord, timeZone: string): NoticeDraft {
  const kinds: string[] = [];
  if (breach.nature.confidentiality)
    kinds.push('someone who should not have seen some of your personal data may have seen it');
  if (breach.nature.integrity)
    kinds.push('some of your personal data may have been changed without permission');
  if (breach.nature.availability)
    kinds.push('some of your personal data was lost or could not be reached for a while');
  const missing: string[] = [];
  if (!breach.likelyConsequences.trim()) missing.push('what this may mean for you');
  if (!breach.measures.trim()) missing.push('what we are doing about it');
  return {
    audience: 'subjects',
    title: 'Important: a security incident affecting your personal data',
    phase: breach.notifications.some((n) => n.audience === 'subjects') ? 'follow_up' : 'initial',
    sections: [
      {
        heading: 'What happened',
        article: 'Art. 34(2)',
        text: `On ${formatInstant(new Date(breach.awareAt), timeZone)} we found out that ${kinds.join(', and ') || 'a security incident affected your personal data'}. ${breach.description.trim()}`,
      },
      {
        heading: 'Which of your data',
        text: `The incident concerns: ${breach.categories.map(plainCategory).join(', ') || 'data we are still identifying'}.`,
      },
      {
        heading: 'What this may mean for you',
        article: 'Art. 33(3)(c)',
        text:
          breach.likelyConsequences || 'We are still assessing this and will tell you as soon as we know.',
      },
      {
        heading: 'What we are doing',
        article: 'Art. 33(3)(d)',
        text: breach.measures || 'We are investigating and will tell you what we have done.',
      },
      {
        heading: 'What you can do',
        text: 'Be careful with messages that ask for passwords or payment details, even if they seem to come from us. Change your password if you used it elsewhere. Watch your bank statements.',
      },
      {
        heading: 'Who to contact',
        article: 'Art. 33(3)(b)',
        text: `If you have questions, contact ${breach.contact || 'our data protection officer'}. You also have the right to lodge a complaint with a data protection authority.`,
      },
    ],
    missing,
  };
}

/** `user.contact.email` → "email address": the taxonomy key in words a customer reads. */
export function plainCategory(key: string): string {
  const words: Record<string, string> = {
    'user.contact.email': 'email address',
    'user.contact.phone_number': 'phone number',
    'user.contact.address': 'postal address',
    'user.name': 'name',
    'user.financial': 'payment details',
    'user.financial.credit_card': 'the last digits of your card number',
    'user.financial.bank_account': 'bank account details',
    'user.demographic.date_of_birth': 'date of birth',
    'user.behavior.purchase_history': 'order history',
    'user.device.ip_address': 'IP address',
    'user.unique_id': 'customer number',
    'user.content.private': 'messages you sent us',
  };
  const match = Object.keys(words)
    .filter((k) => key === k || key.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length)[0];
  return match ? words[match]! : (key.split('.').pop() ?? key).replace(/_/g, ' ');
}
