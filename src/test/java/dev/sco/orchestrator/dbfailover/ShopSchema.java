package dev.sco.orchestrator.dbfailover;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.target.ScriptExecutor;
import dev.sco.orchestrator.platform.target.SqlScript;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The second sample schema ({@code src/test/resources/sql/sample/shop-schema.sql}), unlike the
 * demo's: schema {@code shop}, a uuid and a composite primary key, timestamps without time zone,
 * growing bigint increment columns, a table copied whole with no increment column, foreign keys,
 * a unique constraint, an insert trigger, no partitions.
 */
final class ShopSchema implements EstateSchema {

    static final ShopSchema INSTANCE = new ShopSchema();
    static final String LOCATION = "sql/sample/shop-schema.sql";

    /** The tables in copy order, as the API takes them. */
    static final String TABLES_JSON = """
            {"schema": "shop", "tables": [
              {"name": "currency", "kind": "non-referenced"},
              {"name": "customer", "kind": "referenced", "incrementColumn": "registered_at"},
              {"name": "purchase_order", "kind": "referenced", "incrementColumn": "id"},
              {"name": "order_line", "kind": "referenced", "incrementColumn": "journal_no"}
            ]}""";

    static final List<String> TABLE_NAMES = List.of("currency", "customer", "purchase_order", "order_line");

    private int batch;

    private ShopSchema() {
    }

    @Override
    public void install(DataSource database, String name) {
        ScriptExecutor.execute(database, name, SqlScript.classpath(LOCATION), Map.of(), false);
    }

    /** Currencies, then 10 new customers with 2 orders of 3 lines each (the trigger keeps the totals). */
    @Override
    public synchronized void fill(DataSource primary) {
        write(JdbcClient.create(primary), "b" + (++batch) + "-" + System.nanoTime(), 10);
    }

    /** New customers, orders and lines as the shop application writes them, one transaction per call. */
    static void write(JdbcClient db, String tag, int customers) {
        db.sql("""
                insert into shop.currency (code, name, minor_units)
                values ('EUR', 'Euro', 2), ('USD', 'US dollar', 2), ('JPY', 'Yen', 0)
                on conflict do nothing""").update();
        db.sql("""
                with c as (
                    insert into shop.customer (email, home_currency, registered_at)
                    select 'c' || g || '-' || :tag || '@shop.test', (array['EUR', 'USD', 'JPY'])[1 + g % 3],
                           localtimestamp - make_interval(secs => g)
                    from generate_series(1, :n) g
                    returning id, home_currency),
                o as (
                    insert into shop.purchase_order (customer_id, currency)
                    select c.id, c.home_currency from c cross join generate_series(1, 2)
                    returning id)
                insert into shop.order_line (order_id, line_no, sku, quantity, price)
                select o.id, k, 'sku-' || k, k, 9.99 from o cross join generate_series(1, 3) k""")
                .param("tag", tag).param("n", customers).update();
    }

    @Override
    public PairTables.TableList tables() {
        return new PairTables.TableList("shop", List.of(
                new PairTables.Table("currency", "non-referenced", null, false),
                new PairTables.Table("customer", "referenced", "registered_at", false),
                new PairTables.Table("purchase_order", "referenced", "id", false),
                new PairTables.Table("order_line", "referenced", "journal_no", false)));
    }
}
