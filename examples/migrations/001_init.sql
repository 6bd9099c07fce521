-- 001: initial tables. Run by our migration tool inside one transaction.
BEGIN;

CREATE TABLE users (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text        NOT NULL UNIQUE,
    full_name   text        NOT NULL,
    country     char(2)     NOT NULL DEFAULT 'DE',
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);

CREATE TABLE categories (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   integer REFERENCES categories (id),
    name        text NOT NULL
);

CREATE TABLE products (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku          text        NOT NULL UNIQUE,
    name         text        NOT NULL,
    description  text,
    category_id  integer     REFERENCES categories (id),
    price_cents  integer     NOT NULL CHECK (price_cents >= 0),
    stock        integer     NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id),
    status       text        NOT NULL DEFAULT 'pending',
    total_cents  integer     NOT NULL DEFAULT 0,
    coupon_code  text,
    placed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    order_id     bigint  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id   bigint  NOT NULL REFERENCES products (id),
    quantity     integer NOT NULL CHECK (quantity > 0),
    unit_cents   integer NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE audit_log (
    table_name  text        NOT NULL,
    row_id      bigint      NOT NULL,
    action      text        NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    payload     jsonb
);

COMMIT;
