-- Shop schema (PostgreSQL 16): pg_dump --schema-only of production, tidied by hand.
-- migrations/ only holds the steps since we started keeping them in this repository.

CREATE TABLE users (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text        NOT NULL UNIQUE,
    full_name   text        NOT NULL,
    country     char(2)     NOT NULL DEFAULT 'DE',
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);

CREATE TABLE categories (
    -- a few hundred categories at most: 32 bits are plenty
    -- sqlperf-ignore prefer-bigint-keys
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   integer REFERENCES categories (id),
    name        text NOT NULL
);

CREATE TABLE products (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku          text          NOT NULL UNIQUE,
    name         text          NOT NULL,
    description  text,
    category_id  integer       REFERENCES categories (id),   -- no index: FK lookups scan
    price_cents  integer       NOT NULL CHECK (price_cents >= 0),
    stock        integer       NOT NULL DEFAULT 0,
    created_at   timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id),  -- indexed in 002_add_index.sql
    status       text        NOT NULL DEFAULT 'pending',
    total_cents  integer     NOT NULL DEFAULT 0,
    coupon_code  text,
    placed_at    timestamptz NOT NULL DEFAULT now(),
    shipped_at   timestamptz
);

CREATE TABLE order_items (
    order_id     bigint  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id   bigint  NOT NULL REFERENCES products (id),   -- no index
    quantity     integer NOT NULL CHECK (quantity > 0),
    unit_cents   integer NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE addresses (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    kind         text   NOT NULL CHECK (kind IN ('billing', 'shipping')),
    line1        text   NOT NULL,
    city         text   NOT NULL,
    postal_code  text   NOT NULL,
    country      char(2) NOT NULL
);

CREATE TABLE shipments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id     bigint NOT NULL REFERENCES orders (id),
    address_id   bigint NOT NULL REFERENCES addresses (id),
    carrier      text   NOT NULL,
    tracking_no  text
);

CREATE TABLE payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id     bigint NOT NULL REFERENCES orders (id),
    provider     text   NOT NULL,
    amount_cents integer NOT NULL,
    paid_at      timestamptz
);

CREATE TABLE reviews (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id   bigint  NOT NULL REFERENCES products (id),
    user_id      bigint  NOT NULL REFERENCES users (id),
    rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body         text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Append-only log written by a trigger; nobody gave it a primary key.
CREATE TABLE audit_log (
    table_name  text        NOT NULL,
    row_id      bigint      NOT NULL,
    action      text        NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    payload     jsonb
);

-- This file builds an empty database (tests, the embedded planner): no one to block.
-- sqlperf-ignore-file create-index-not-concurrently, missing-lock-timeout
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
CREATE INDEX products_name_idx ON products (name);
