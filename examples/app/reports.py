"""Nightly reports for finance (psycopg 3 + SQLAlchemy Core)."""
import os
from datetime import date

import psycopg
from sqlalchemy import create_engine, text

engine = create_engine(
    os.environ.get("REPORTS_DATABASE_URL", "postgresql+psycopg://reports@localhost/shop"),
    pool_size=40,
    max_overflow=20,
    pool_pre_ping=True,
)


def revenue_by_country(since: date) -> list[tuple[str, int]]:
    """Revenue per customer country since a date (one query, fine)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.country, sum(o.total_cents) AS revenue "
                "FROM orders o JOIN users u ON u.id = o.user_id "
                "WHERE o.placed_at >= :since "
                "GROUP BY u.country ORDER BY revenue DESC"
            ),
            {"since": since},
        )
        return [(r.country, r.revenue) for r in rows]


def inactive_customers() -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM users WHERE lower(email) LIKE '%@example.com'"))
        return [dict(r._mapping) for r in rows]


def restock_report(product_ids: list[int]) -> dict[int, int]:
    """Units sold per product in the last 30 days."""
    sold: dict[int, int] = {}
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        with conn.cursor() as cursor:
            for product_id in product_ids:
                cursor.execute(
                    "SELECT coalesce(sum(quantity), 0) FROM order_items oi "
                    "JOIN orders o ON o.id = oi.order_id "
                    "WHERE oi.product_id = %s AND o.placed_at > now() - interval '30 days'",
                    (product_id,),
                )
                sold[product_id] = cursor.fetchone()[0]
    return sold


if __name__ == "__main__":
    for country, revenue in revenue_by_country(date(2024, 1, 1)):
        print(f"{country}\t{revenue / 100:.2f}")
