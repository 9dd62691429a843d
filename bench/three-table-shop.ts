// The small PostgreSQL shop the DSR load benchmarks (intake, scale-out) run against: customers
// found by e-mail, with their orders and support tickets, and its data map.

/** The shop's tables, filled for `customers` people (three orders and about one ticket each). */
export function threeTableShopSql(customers: number): string {
  return `
create table customers (id integer primary key, email text not null, name text not null);
create index on customers (lower(email));
create table orders (id integer primary key, customer_id integer not null references customers (id), total numeric(10,2) not null);
create index on orders (customer_id);
create table support_tickets (id integer primary key, customer_id integer not null references customers (id), body text not null);
create index on support_tickets (customer_id);
insert into customers select i, 'customer' || i || '@example.com', 'Name ' || i from generate_series(1, ${customers}) i;
insert into orders select i, ((i - 1) % ${customers}) + 1, (i % 300) + 0.99 from generate_series(1, ${customers * 3}) i;
insert into support_tickets select i, ((i * 7 - 1) % ${customers}) + 1, 'Ticket ' || i from generate_series(1, ${customers}) i;
analyze;
`;
}

/** The shop's data map; its connection URL is read from the environment variable `urlVariable`. */
export function threeTableShopDataMap(urlVariable: string): string {
  return `
systems:
  - id: shop
    kind: postgres
    role: controller
    connection: { url: env:${urlVariable} }
    collections:
      - name: customers
        primaryKey: [id]
        fields:
          - { name: id, type: integer }
          - { name: email, type: text, categories: [user.contact.email], identity: email }
          - { name: name, type: text, categories: [user.name] }
      - name: orders
        primaryKey: [id]
        fields:
          - { name: id, type: integer }
          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }
          - { name: total, type: 'numeric(10,2)', categories: [user.financial] }
      - name: support_tickets
        primaryKey: [id]
        fields:
          - { name: id, type: integer }
          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }
          - { name: body, type: text, categories: [user.content.private] }
`;
}
