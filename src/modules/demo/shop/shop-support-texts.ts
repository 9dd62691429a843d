/**
 * Support-ticket texts as customers write them: free text that repeats names, emails (in whatever
 * case the customer typed), phone numbers and other people's names. This is the data a privacy
 * tool cannot find by column name and has to redact as a whole.
 */
export interface TicketAuthor {
  customerId: number;
  firstName: string;
  lastName: string;
  /** The email as the customer happens to type it this time (may differ in case from the account). */
  emailAsTyped: string;
  phone: string | null;
  orderId: number | null;
  giftOrderId: number | null;
  giftRecipientName: string | null;
  otherEmail: string;
}

interface TicketTemplate {
  subject: string;
  applies(author: TicketAuthor): boolean;
  body(author: TicketAuthor): string;
}

export const TICKET_TEMPLATES: readonly TicketTemplate[] = [
  {
    subject: 'Where is my order?',
    applies: (a) => a.orderId !== null,
    body: (a) =>
      `Hello, this is ${a.firstName} ${a.lastName}. My order #${a.orderId} has not arrived yet.` +
      (a.phone
        ? ` Please call me on ${a.phone} or reply to ${a.emailAsTyped}.`
        : ` Please reply to ${a.emailAsTyped}.`),
  },
  {
    subject: 'Change my email address',
    applies: () => true,
    body: (a) =>
      `Hi, please change the email on my account from ${a.emailAsTyped} to ${a.otherEmail}. Thanks, ${a.firstName}`,
  },
  {
    subject: 'Gift delivered to the wrong door',
    applies: (a) => a.giftRecipientName !== null && a.giftOrderId !== null,
    body: (a) =>
      `The parcel I sent to ${a.giftRecipientName} (order #${a.giftOrderId}) was left with a neighbour. Could you let them know? ${a.firstName} ${a.lastName}`,
  },
  {
    subject: 'Remove my phone number',
    applies: (a) => a.phone !== null,
    body: (a) =>
      `Please delete my phone number ${a.phone} from your records, I keep getting calls. ${a.firstName} ${a.lastName} (customer ${a.customerId})`,
  },
  {
    subject: 'Refund not received',
    applies: (a) => a.orderId !== null,
    body: (a) =>
      `Dear support, I returned order #${a.orderId} three weeks ago and still have no refund. Regards, ${a.firstName} ${a.lastName}, ${a.emailAsTyped}`,
  },
  {
    subject: 'Cannot log in',
    applies: () => true,
    body: (a) =>
      `I cannot log in with ${a.emailAsTyped} anymore, the reset link never arrives. ${a.firstName}`,
  },
];

/** Campaign names carry their season and year, as marketing teams name them; the rest is the newsletter. */
export function campaignName(occurredAt: Date, seasonal: boolean): string {
  const year = occurredAt.getUTCFullYear();
  const month = occurredAt.getUTCMonth() + 1;
  const season =
    month === 12
      ? 'christmas'
      : month === 11
        ? 'black-friday'
        : month >= 6 && month <= 8
          ? 'summer-sale'
          : month >= 3 && month <= 5
            ? 'spring-sale'
            : null;
  if (seasonal && season) return `${season}-${year}`;
  return `newsletter-${year}-${String(month).padStart(2, '0')}`;
}
