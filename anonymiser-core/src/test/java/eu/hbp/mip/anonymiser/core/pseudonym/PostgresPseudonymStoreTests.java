package eu.hbp.mip.anonymiser.core.pseudonym;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store contract on a real PostgreSQL: the embedded server (started once per
 * JVM) or the one named by {@code MIP_TEST_POSTGRES_URL}; each test in a schema of
 * its own.
 */
class PostgresPseudonymStoreTests extends PseudonymStoreContract {

    @Override
    String freshUrl() {
        return TestPostgres.freshSchemaUrl();
    }

    @Override
    Jdbi raw() {
        return Jdbi.create(url);
    }

    @AfterEach
    void dropSchema() {
        TestPostgres.dropSchema(url);
    }

    @Test
    void storesTimesAsTimestampsAndNamesTheServerWithoutParameters() {
        try (JdbiPseudonymStore store = open()) {
            store.pseudonym("patient", SECRET);
            store.flush();
            assertTrue(store.toString().startsWith("JdbiPseudonymStore[PostgreSQL "), store.toString());
            assertFalse(store.toString().contains("user="), "no URL parameters: " + store);
        }
        assertEquals("timestamp with time zone", raw().withHandle(h -> h.createQuery(
                "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema()"
                        + " AND table_name = 'mapping' AND column_name = 'first_seen'").mapTo(String.class).one()));
    }
}
