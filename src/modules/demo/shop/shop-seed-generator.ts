import { base, en, Faker } from '@faker-js/faker';
import { createCountryFakers, SHOP_COUNTRIES, type ShopCountry } from './shop-locales.ts';
import {
  emptyShopRows,
  type CustomerRow,
  type OrderRow,
  type PaymentRow,
  type ShopRows,
} from './shop-rows.ts';
import { campaignName, TICKET_TEMPLATES, type TicketAuthor } from './shop-support-texts.ts';

/** The fixed seed of the demo shop: every installation gets the same people. */
export { DEFAULT_SHOP_SEED } from './shop-schema.ts';

export interface ShopSeedOptions {
  seed: number;
  people: number;
  /** 'YYYY-MM-DD': "today" of the generated history. Same seed + people + date = same rows. */
  referenceDate: string;
}

/** Rows for the next `peopleDone` customers, with everything that belongs to them. */
export interface ShopRowBatch {
  rows: ShopRows;
  peopleDone: number;
}

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
/** The history spans 11 years so some payments outlive their 10-year tax retention. */
const HISTORY_YEARS = 11;

interface Person {
  firstName: string;
  lastName: string;
  shippingAddressId: number;
}

/**
 * Generates the shop's rows customer by customer, `batchPeople` customers per batch, so memory stays
 * flat however many people are asked for. Pure: the output depends only on the options (and the
 * faker version), never on the clock or the batch size.
 */
export function* generateShopRows(options: ShopSeedOptions, batchPeople = 500): Generator<ShopRowBatch> {
  const rng = new Faker({ locale: [en, base] });
  rng.seed(options.seed);
  const fakers = createCountryFakers(options.seed);
  const now = Date.parse(`${options.referenceDate}T00:00:00.000Z`);
  const start = now - HISTORY_YEARS * YEAR;
  const ids = { address: 0, order: 0, payment: 0, ticket: 0, event: 0 };
  const people: Person[] = [];
  const usedEmails = new Set<string>();
  const products = Array.from({ length: 150 }, (_, index) => ({
    sku: `SKU-${10_001 + index}`,
    name: rng.commerce.productName(),
    cents: rng.number.int({ min: 399, max: 19_999 }),
  }));

  const int = (min: number, max: number) => rng.number.int({ min, max });
  const chance = (probability: number) => rng.datatype.boolean({ probability });
  const between = (from: number, to: number) => (to <= from ? from : int(Math.floor(from), Math.floor(to)));
  const iso = (ms: number) => new Date(ms).toISOString();
  const pickWeighted = <T>(choices: readonly { weight: number; value: T }[]) =>
    rng.helpers.weightedArrayElement(choices);

  let batch = emptyShopRows();
  for (let id = 1; id <= options.people; id++) {
    const country = pickWeighted(SHOP_COUNTRIES.map((c) => ({ weight: c.weight, value: c })));
    const local = fakers.get(country.code) ?? rng;
    const customer = generateCustomer(id, country, local);
    batch.customers.push(customer);
    const createdAt = Date.parse(customer.created_at);
    // Whatever the customer did happened between sign-up and their last visit.
    const activeUntil = customer.last_login_at ? Date.parse(customer.last_login_at) : createdAt + DAY;

    const billingId = addAddress(id, 'billing', country, local);
    let shippingAddressId = billingId;
    if (chance(0.45)) shippingAddressId = addAddress(id, 'shipping', country, local);
    if (chance(0.08)) addAddress(id, 'shipping', country, local);
    people.push({ firstName: customer.first_name, lastName: customer.last_name, shippingAddressId });

    const bank = {
      cardLast4: rng.string.numeric(4),
      ibanMasked: country.sepa ? maskIban(local.finance.iban({ countryCode: country.code })) : null,
    };
    const orders = generateOrders(customer, country, shippingAddressId, createdAt, activeUntil, bank);
    generateTickets(customer, orders, createdAt, activeUntil);
    generateMarketingEvents(customer, createdAt, activeUntil);
    generateSessions(id, createdAt, activeUntil);

    if (id % batchPeople === 0 || id === options.people) {
      yield { rows: batch, peopleDone: id };
      batch = emptyShopRows();
    }
  }

  function generateCustomer(id: number, country: ShopCountry, local: Faker): CustomerRow {
    const firstName = local.person.firstName();
    const lastName = local.person.lastName();
    const slot = (now - 30 * DAY - start) / options.people;
    const createdAt = start + (id - 1) * slot + int(0, Math.floor(slot));
    const age = now - createdAt;
    let status: CustomerRow['status'] = 'active';
    let lastLogin: number | null = between(Math.max(createdAt, now - YEAR), now);
    if (age > 3 * YEAR + 30 * DAY && chance(0.35)) {
      // Dormant for more than three years: what a retention rule is written for.
      status = 'inactive';
      lastLogin = between(createdAt, Math.min(createdAt + 2 * YEAR, now - 3 * YEAR - 2 * DAY));
    } else if (chance(0.03)) {
      status = 'closed';
      lastLogin = between(createdAt, now);
    } else if (chance(0.02)) {
      lastLogin = null; // signed up, never came back
    }
    const birth = now - int(18, 85) * YEAR - int(0, 364) * DAY;
    return {
      id,
      email: uniqueEmail(firstName, lastName, country),
      first_name: firstName,
      last_name: lastName,
      phone: chance(0.85) ? phoneNumber(country) : null,
      date_of_birth: chance(0.93) ? iso(birth).slice(0, 10) : null,
      created_at: iso(createdAt),
      last_login_at: lastLogin === null ? null : iso(lastLogin),
      marketing_opt_in: chance(0.4),
      status,
      referred_by: id > 1 && chance(0.12) ? int(1, id - 1) : null,
    };
  }

  function uniqueEmail(firstName: string, lastName: string, country: ShopCountry): string {
    const first = ascii(firstName);
    const last = ascii(lastName);
    const domain = rng.helpers.arrayElement(country.emailDomains);
    const shapes = [
      `${first}.${last}`,
      `${first}${last}${int(1, 99)}`,
      `${first.charAt(0)}${last}`,
      `${first}_${last}${int(70, 99)}`,
    ];
    let localPart = rng.helpers.arrayElement(shapes);
    while (usedEmails.has(`${localPart}@${domain}`)) localPart = `${localPart}${int(0, 9)}`;
    usedEmails.add(`${localPart}@${domain}`);
    // Stored as typed: most lower case, some capitalised, a few shouting. Matching must ignore case.
    const style = pickWeighted([
      { weight: 70, value: 'lower' },
      { weight: 20, value: 'capitalised' },
      { weight: 10, value: 'upper' },
    ] as const);
    return applyCase(`${localPart}@${domain}`, style);
  }

  function phoneNumber(country: ShopCountry): string {
    return (
      rng.helpers.arrayElement(country.phonePrefixes) +
      rng.string.numeric({ length: country.phoneDigits, allowLeadingZeros: false })
    );
  }

  function addAddress(
    customerId: number,
    kind: 'billing' | 'shipping',
    country: ShopCountry,
    local: Faker,
  ): number {
    ids.address += 1;
    batch.addresses.push({
      id: ids.address,
      customer_id: customerId,
      kind,
      street: local.location.streetAddress(),
      city: local.location.city(),
      postcode: local.location.zipCode(),
      country: country.code,
    });
    return ids.address;
  }

  function generateOrders(
    customer: CustomerRow,
    country: ShopCountry,
    ownAddressId: number,
    createdAt: number,
    activeUntil: number,
    bank: { cardLast4: string; ibanMasked: string | null },
  ): OrderRow[] {
    const count = pickWeighted(
      [0, 1, 2, 3, 4, 5, 6].map((value, index) => ({
        value,
        weight: [15, 20, 20, 15, 12, 10, 8][index] ?? 1,
      })),
    );
    const times = Array.from({ length: count }, () => between(createdAt, activeUntil)).sort((a, b) => a - b);
    const orders: OrderRow[] = [];
    for (const placedAt of times) {
      ids.order += 1;
      const orderId = ids.order;
      // A gift goes to someone else: their name and their address, on this customer's order.
      const recipientId = customer.id > 1 && chance(0.1) ? int(1, customer.id - 1) : null;
      const recipient = recipientId === null ? undefined : people[recipientId - 1];
      let totalCents = 0;
      const lines = pickWeighted([
        { value: 1, weight: 40 },
        { value: 2, weight: 30 },
        { value: 3, weight: 18 },
        { value: 4, weight: 12 },
      ]);
      for (let lineNo = 1; lineNo <= lines; lineNo++) {
        const product = rng.helpers.arrayElement(products);
        const qty = pickWeighted([
          { value: 1, weight: 75 },
          { value: 2, weight: 18 },
          { value: 3, weight: 7 },
        ]);
        totalCents += qty * product.cents;
        batch.order_items.push({
          order_id: orderId,
          line_no: lineNo,
          sku: product.sku,
          name: product.name,
          qty,
          price: money(product.cents),
        });
      }
      const order: OrderRow = {
        id: orderId,
        customer_id: customer.id,
        shipping_address_id: recipient ? recipient.shippingAddressId : ownAddressId,
        placed_at: iso(placedAt),
        status: orderStatus(placedAt),
        total: money(totalCents),
        currency: country.currency,
        is_gift: recipient !== undefined,
        gift_recipient_name: recipient ? `${recipient.firstName} ${recipient.lastName}` : null,
        gift_message:
          recipient && chance(0.6)
            ? `Happy birthday, ${recipient.firstName}! Love, ${customer.first_name}`
            : null,
      };
      batch.orders.push(order);
      orders.push(order);
      if (order.status !== 'pending' && order.status !== 'cancelled')
        addPayment(order, country, totalCents, placedAt, bank);
    }
    return orders;
  }

  function orderStatus(placedAt: number): OrderRow['status'] {
    if (now - placedAt < 7 * DAY) return rng.helpers.arrayElement(['pending', 'paid', 'shipped'] as const);
    return pickWeighted([
      { value: 'delivered', weight: 88 },
      { value: 'cancelled', weight: 6 },
      { value: 'refunded', weight: 6 },
    ] as const);
  }

  function addPayment(
    order: OrderRow,
    country: ShopCountry,
    cents: number,
    placedAt: number,
    bank: { cardLast4: string; ibanMasked: string | null },
  ): void {
    const methods: { value: PaymentRow['method']; weight: number }[] = [
      { value: 'card', weight: country.sepa ? 45 : 70 },
      { value: 'paypal', weight: 25 },
      { value: 'invoice', weight: 5 },
      { value: 'sepa_debit', weight: country.sepa ? 25 : 0 },
    ];
    const method = pickWeighted(methods.filter((m) => m.weight > 0));
    ids.payment += 1;
    const delay = method === 'invoice' ? int(DAY, 14 * DAY) : int(5_000, 600_000);
    batch.payments.push({
      id: ids.payment,
      order_id: order.id,
      method,
      card_last4: method === 'card' ? bank.cardLast4 : null,
      iban_masked: method === 'sepa_debit' ? bank.ibanMasked : null,
      amount: money(cents),
      paid_at: iso(Math.min(placedAt + delay, now)),
    });
  }

  function generateTickets(
    customer: CustomerRow,
    orders: OrderRow[],
    createdAt: number,
    activeUntil: number,
  ): void {
    const count = pickWeighted([
      { value: 0, weight: 65 },
      { value: 1, weight: 25 },
      { value: 2, weight: 8 },
      { value: 3, weight: 2 },
    ]);
    for (let index = 0; index < count; index++) {
      const order = orders.length ? rng.helpers.arrayElement(orders) : null;
      const gift = orders.find((o) => o.is_gift) ?? null;
      const author: TicketAuthor = {
        customerId: customer.id,
        firstName: customer.first_name,
        lastName: customer.last_name,
        emailAsTyped: applyCase(
          customer.email,
          rng.helpers.arrayElement(['lower', 'capitalised', 'upper'] as const),
        ),
        phone: customer.phone,
        orderId: order?.id ?? null,
        giftOrderId: gift?.id ?? null,
        giftRecipientName: gift?.gift_recipient_name ?? null,
        otherEmail: `${ascii(customer.first_name)}.${ascii(customer.last_name)}@${rng.helpers.arrayElement(['proton.me', 'mailbox.org', 'fastmail.com'])}`,
      };
      const template = rng.helpers.arrayElement(TICKET_TEMPLATES.filter((t) => t.applies(author)));
      ids.ticket += 1;
      batch.support_tickets.push({
        id: ids.ticket,
        customer_id: customer.id,
        subject: template.subject,
        body: template.body(author),
        created_at: iso(between(createdAt, activeUntil)),
      });
    }
  }

  function generateMarketingEvents(customer: CustomerRow, createdAt: number, activeUntil: number): void {
    const count = customer.marketing_opt_in ? int(3, 15) : int(0, 2);
    for (let index = 0; index < count; index++) {
      const occurredAt = between(createdAt, activeUntil);
      ids.event += 1;
      batch.marketing_events.push({
        id: ids.event,
        customer_id: customer.id,
        event_type: pickWeighted([
          { value: 'email_sent', weight: 40 },
          { value: 'email_open', weight: 25 },
          { value: 'email_click', weight: 12 },
          { value: 'page_view', weight: 15 },
          { value: 'ad_click', weight: 5 },
          { value: 'unsubscribe', weight: 3 },
        ]),
        campaign: campaignName(new Date(occurredAt), chance(0.6)),
        occurred_at: iso(occurredAt),
      });
    }
  }

  function generateSessions(customerId: number, createdAt: number, activeUntil: number): void {
    const devices = [rng.internet.userAgent(), rng.internet.userAgent()];
    const signedIn = int(0, 5);
    for (let index = 0; index < signedIn; index++) {
      batch.sessions.push({
        customer_id: customerId,
        ip_address: ipAddress(),
        user_agent: rng.helpers.arrayElement(devices),
        started_at: iso(between(Math.max(createdAt, activeUntil - 2 * YEAR), activeUntil)),
      });
    }
    // Visitors who never signed in: the same table, no customer.
    const anonymous = int(0, 2);
    for (let index = 0; index < anonymous; index++) {
      batch.sessions.push({
        customer_id: null,
        ip_address: ipAddress(),
        user_agent: rng.internet.userAgent(),
        started_at: iso(between(start, now)),
      });
    }
  }

  function ipAddress(): string {
    return chance(0.85) ? rng.internet.ipv4() : rng.internet.ipv6();
  }
}

function money(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function ascii(name: string): string {
  const plain = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return plain || 'customer';
}

function applyCase(email: string, style: 'lower' | 'capitalised' | 'upper'): string {
  const [localPart = '', domain = ''] = email.toLowerCase().split('@');
  if (style === 'lower') return `${localPart}@${domain}`;
  if (style === 'upper')
    return `${localPart.toUpperCase()}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}`;
  return `${localPart.replace(/(^|[._])([a-z])/g, (_m, sep: string, letter: string) => sep + letter.toUpperCase())}@${domain}`;
}

/** Keeps the country and check digits and the last four, as bank statements print an IBAN. */
function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '');
  return `${compact.slice(0, 4)}${'*'.repeat(Math.max(compact.length - 8, 0))}${compact.slice(-4)}`;
}
