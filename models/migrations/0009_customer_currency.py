"""A customer's currency (issue 16): amounts are rounded to its minor unit and shown with it.
NULL: the site's `currency` setting (default CNY). Added with ALTER TABLE ... ADD COLUMN on
both databases."""


def up(migrator, db):
    db.execute_sql("ALTER TABLE customer ADD COLUMN currency VARCHAR(3)")
