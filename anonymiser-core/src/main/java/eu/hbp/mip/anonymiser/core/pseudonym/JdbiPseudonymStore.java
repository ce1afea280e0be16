package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.StoreException;
import eu.hbp.mip.anonymiser.core.pseudonym.DurableCache.Key;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@link PseudonymStore} on Jdbi: an SQLite file in {@code db/} or a PostgreSQL
 * database, opened with {@link PseudonymStores#open}.
 *
 * <p><b>Get-or-create.</b> A pseudonym is computed by {@link KeyedPseudonyms} (no
 * database read: it is a keyed function of the value), handed out at once, and
 * buffered; buffered mappings are written in batches of {@value #DEFAULT_BATCH},
 * one transaction and one multi-row statement per batch, with an insert-if-absent
 * (SQLite {@code INSERT OR IGNORE}, PostgreSQL {@code ON CONFLICT DO NOTHING}) under
 * the unique constraints {@code (domain, value)} and {@code (domain, pseudonym)}.
 * When the database skipped any row of a batch (seen before, by this or another
 * process), the batch is checked against what is stored: the stored pseudonym of
 * each value must be the computed one, and a pseudonym already stored for another
 * value is a collision. Either failure
 * rolls the batch back and <em>poisons</em> the store: this and every later call
 * that could publish a pseudonym ({@link #pseudonym}, {@link #flush}) throws a
 * {@link StoreException} ("pseudonym collision in domain patient ..."), so no
 * output carrying a doubtful pseudonym is ever released. Writes are idempotent,
 * so many threads and several processes may share one store.
 *
 * <p><b>Durability.</b> {@link #flush()} writes every buffered mapping; the
 * crash-safe mover calls it before it publishes an output. {@link #close()}
 * flushes. A batch that fails for a passing reason (a lock time-out, a dropped
 * connection) stays buffered and is retried by the next flush.
 *
 * <p><b>Speed and memory.</b> Durable mappings are kept in a bounded, approximately
 * least-recently-used cache of about {@value #DEFAULT_CACHE} entries, so a repeated
 * value costs a lock-free map look-up; the
 * buffer holds at most about one batch per writing thread.
 *
 * <p>Thread-safe. It never logs; no message it throws holds a value (only the
 * domain, counts, the store's location and the remedy).
 *
 * <pre>{@code
 * try (PseudonymStore store = PseudonymStores.open(layout.db(), null, "")) {
 *     String subject = store.pseudonym(PseudonymStore.PATIENT, "HOSP-000123");
 *     ...
 *     store.flush();   // before publishing the output that carries it
 * }
 * }</pre>
 */
public final class JdbiPseudonymStore implements PseudonymStore {

    /** Entries of the in-memory cache of durable mappings. */
    public static final int DEFAULT_CACHE = 100_000;
    /** New mappings written per transaction. */
    public static final int DEFAULT_BATCH = 1_000;

    /** Values per {@code IN (...)} list when checking skipped rows. */
    private static final int CHECK_CHUNK = 500;

    /** A buffered mapping: handed out, not yet durable. */
    private record Pending(String pseudonym, long firstSeenMillis) {
    }

    private final StoreConnection db;
    private final Dialect dialect;
    private final KeyedPseudonyms keyed;
    private final DurableCache cache;
    private final ConcurrentHashMap<Key, Pending> pending = new ConcurrentHashMap<>();
    private final int batchSize;
    private final ReentrantLock flushLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile StoreException poisoned;

    private final String insertMapping;
    private final String insertWithdrawal;
    private final String exportQuery;

    JdbiPseudonymStore(StoreConnection db, KeyedPseudonyms keyed, int cacheCapacity, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.db = db;
        this.dialect = db.dialect();
        this.keyed = keyed;
        this.cache = new DurableCache(cacheCapacity);
        this.batchSize = batchSize;
        this.insertMapping = insertRows(batchSize);
        this.insertWithdrawal = dialect.insertIgnore("withdrawal", "domain, pseudonym, withdrawn_at",
                ":domain, :pseudonym, " + dialect.timeParam("at"));
        this.exportQuery = "SELECT domain, value, pseudonym, " + dialect.timeColumn("first_seen")
                + " AS first_seen_ms FROM mapping ORDER BY domain, pseudonym";
    }

    /** @return the generator this store records; it shares the store's key and prefix */
    public KeyedPseudonyms generator() {
        return keyed;
    }

    @Override
    public String pseudonym(String domain, String value) {
        Objects.requireNonNull(value, "value");
        checkUsable();
        Key key = new Key(domain, value);
        String known = cache.get(key);
        if (known != null) {
            return known;
        }
        Pending buffered = pending.get(key);
        if (buffered != null) {
            return buffered.pseudonym();
        }
        checkStorable(domain, value);
        String p = keyed.pseudonym(domain, value);
        Pending raced = pending.putIfAbsent(key, new Pending(p, System.currentTimeMillis()));
        if (raced == null && pending.size() >= batchSize) {
            // one thread writes the batch while the others go on; they wait only if it falls far behind
            if (flushLock.tryLock()) {
                try {
                    flush();
                } finally {
                    flushLock.unlock();
                }
            } else if (pending.size() >= 4 * batchSize) {
                flush();
            }
        }
        return p;
    }

    @Override
    public Map<String, String> pseudonyms(String domain, Collection<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            if (!out.containsKey(Objects.requireNonNull(v, "value"))) {
                out.put(v, pseudonym(domain, v));
            }
        }
        return out;
    }

    @Override
    public Optional<String> lookup(String domain, String value) {
        Objects.requireNonNull(value, "value");
        checkDomain(domain);
        checkOpen();
        Key key = new Key(domain, value);
        String known = cache.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Pending buffered = pending.get(key);
        if (buffered != null) {
            return Optional.of(buffered.pseudonym());
        }
        Optional<String> stored = db.call("look up a pseudonym", false, h -> h
                .createQuery("SELECT pseudonym FROM mapping WHERE domain = :domain AND value = :value")
                .bind("domain", domain).bind("value", value).mapTo(String.class).findFirst());
        stored.ifPresent(p -> {
            if (p.equals(keyed.pseudonym(domain, value))) {
                cache.put(key, p);
            }
        });
        return stored;
    }

    @Override
    public Optional<String> reidentify(String domain, String pseudonym) {
        Objects.requireNonNull(pseudonym, "pseudonym");
        checkDomain(domain);
        flush();
        return db.call("re-identify a pseudonym", false, h -> h
                .createQuery("SELECT value FROM mapping WHERE domain = :domain AND pseudonym = :pseudonym")
                .bind("domain", domain).bind("pseudonym", pseudonym).mapTo(String.class).findFirst());
    }

    @Override
    public String uid(String uid) {
        checkOpen();
        return keyed.uid(uid);
    }

    @Override
    public int dayShift(String domain, String value) {
        checkOpen();
        return keyed.dayShift(domain, value);
    }

    @Override
    public void withdraw(String domain, String pseudonym) {
        Objects.requireNonNull(pseudonym, "pseudonym");
        checkDomain(domain);
        checkOpen();
        db.call("record a withdrawal", false, h -> h.createUpdate(insertWithdrawal)
                .bind("domain", domain).bind("pseudonym", pseudonym).bind("at", System.currentTimeMillis())
                .execute());
        withdrawals = null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Answers from a snapshot of the withdrawal table (withdrawals are few), taken
     * again when it is older than {@value #WITHDRAWALS_MAX_AGE_MILLIS} ms or after a
     * {@link #withdraw} through this store: a withdrawal recorded by another process is
     * seen within that time, and a file costs no database round trip.
     */
    @Override
    public boolean isWithdrawn(String domain, String pseudonym) {
        Objects.requireNonNull(pseudonym, "pseudonym");
        checkDomain(domain);
        checkOpen();
        Withdrawals snapshot = withdrawals;
        long now = System.nanoTime();
        if (snapshot == null || now - snapshot.takenAt() > WITHDRAWALS_MAX_AGE_MILLIS * 1_000_000L) {
            Set<String> keys = db.call("check a withdrawal", false, h -> h
                    .createQuery("SELECT domain, pseudonym FROM withdrawal")
                    .map((rs, ctx) -> rs.getString(1) + '\u0000' + rs.getString(2)).collect(Collectors.toSet()));
            snapshot = new Withdrawals(now, Set.copyOf(keys));
            withdrawals = snapshot;
        }
        return snapshot.keys().contains(domain + '\u0000' + pseudonym);
    }

    private static final java.util.Comparator<Map.Entry<Key, Pending>> BATCH_ORDER =
            java.util.Comparator.comparing((Map.Entry<Key, Pending> e) -> e.getKey().domain())
                    .thenComparing(e -> e.getKey().value());

    /** How old the withdrawal snapshot may be before it is taken again. */
    static final long WITHDRAWALS_MAX_AGE_MILLIS = 1_000;

    /** The withdrawal table as seen at {@code takenAt} (System.nanoTime). */
    private record Withdrawals(long takenAt, Set<String> keys) {
    }

    private volatile Withdrawals withdrawals;

    /**
     * {@inheritDoc}
     *
     * <p>Flushes first, then streams the rows ordered by domain and pseudonym on a
     * connection of its own, so other threads keep working meanwhile.
     */
    @Override
    public void export(Consumer<Mapping> sink) {
        Objects.requireNonNull(sink, "sink");
        flush();
        db.onOwnHandle("export the mappings", h -> {
            HandleCallback<Void, RuntimeException> stream = t -> {
                t.createQuery(exportQuery).setFetchSize(1_000)
                        .map((rs, ctx) -> new Mapping(rs.getString("domain"), rs.getString("value"),
                                rs.getString("pseudonym"), Instant.ofEpochMilli(rs.getLong("first_seen_ms"))))
                        .forEach(sink);
                return null;
            };
            // PostgreSQL streams with a cursor only inside a transaction; on SQLite one SELECT is
            // its own consistent read, and a transaction would take the write lock (BEGIN IMMEDIATE)
            return dialect == Dialect.POSTGRESQL ? h.inTransaction(stream) : stream.withHandle(h);
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws StoreException also when a collision was detected, now or earlier
     */
    @Override
    public void flush() {
        checkUsable();
        flushLock.lock();
        try {
            if (pending.isEmpty()) {
                return;
            }
            List<Map.Entry<Key, Pending>> all = new ArrayList<>(pending.entrySet());
            // One global order of rows: two processes inserting overlapping batches then wait on
            // each other's rows in the same order, so their transactions can never deadlock.
            all.sort(BATCH_ORDER);
            for (int from = 0; from < all.size(); from += batchSize) {
                List<Map.Entry<Key, Pending>> chunk = all.subList(from, Math.min(all.size(), from + batchSize));
                write(chunk);
                for (Map.Entry<Key, Pending> e : chunk) {
                    cache.put(e.getKey(), e.getValue().pseudonym());
                    pending.remove(e.getKey(), e.getValue());
                }
            }
        } finally {
            flushLock.unlock();
        }
    }

    /** @return how many handed-out mappings are not durable yet */
    public int buffered() {
        return pending.size();
    }

    /** Flushes, then closes the connection; idempotent. A poisoned store is closed and its failure rethrown. */
    @Override
    public void close() {
        flushLock.lock();
        try {
            if (closed.get()) {
                return;
            }
            try {
                if (poisoned == null) {
                    flush();
                }
            } finally {
                closed.set(true);
                db.close();
            }
            if (poisoned != null) {
                throw new StoreException(poisoned.getMessage(), poisoned);
            }
        } finally {
            flushLock.unlock();
        }
    }

    /** Shows where the store is, never its contents. */
    @Override
    public String toString() {
        return "JdbiPseudonymStore[" + db.description() + "]";
    }

    /**
     * Writes one chunk in one transaction, as a single multi-row insert-if-absent
     * (one statement, one round trip); when the database skipped any row, every row
     * of the chunk is checked against what is stored.
     */
    private void write(List<Map.Entry<Key, Pending>> chunk) {
        String sql = chunk.size() == batchSize ? insertMapping : insertRows(chunk.size());
        db.inTransaction("record " + chunk.size() + " new pseudonyms", false, h -> {
            int inserted;
            try (PreparedStatement st = h.getConnection().prepareStatement(sql)) {
                int i = 0;
                for (Map.Entry<Key, Pending> e : chunk) {
                    st.setString(++i, e.getKey().domain());
                    st.setString(++i, e.getKey().value());
                    st.setString(++i, e.getValue().pseudonym());
                    st.setLong(++i, e.getValue().firstSeenMillis());
                }
                inserted = st.executeUpdate();
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
            if (inserted != chunk.size()) {
                verify(h, chunk);
            }
            return null;
        });
    }

    private String insertRows(int rows) {
        String row = "(?, ?, ?, " + dialect.timePlaceholder() + ")";
        StringBuilder sb = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ", ").append(row);
        }
        return dialect.insertIgnoreRows("mapping", "domain, value, pseudonym, first_seen", sb.toString());
    }

    /**
     * Checks rows when the insert skipped some: each value must hold its computed
     * pseudonym. Throws (rolling the batch back) and poisons the store otherwise.
     */
    private void verify(Handle h, List<Map.Entry<Key, Pending>> skipped) {
        // every row of the chunk: cheap (one IN query per 500) and needs no per-row counts
        Map<String, List<Map.Entry<Key, Pending>>> byDomain = new HashMap<>();
        for (Map.Entry<Key, Pending> e : skipped) {
            byDomain.computeIfAbsent(e.getKey().domain(), d -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, List<Map.Entry<Key, Pending>>> group : byDomain.entrySet()) {
            String domain = group.getKey();
            List<Map.Entry<Key, Pending>> rows = group.getValue();
            for (int from = 0; from < rows.size(); from += CHECK_CHUNK) {
                List<Map.Entry<Key, Pending>> part = rows.subList(from, Math.min(rows.size(), from + CHECK_CHUNK));
                List<String> values = new ArrayList<>(part.size());
                for (Map.Entry<Key, Pending> e : part) {
                    values.add(e.getKey().value());
                }
                Map<String, String> stored = new HashMap<>();
                h.createQuery("SELECT value, pseudonym FROM mapping WHERE domain = :domain AND value IN (<values>)")
                        .bind("domain", domain).bindList("values", values)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                        .forEach(e -> stored.put(e.getKey(), e.getValue()));
                for (Map.Entry<Key, Pending> e : part) {
                    String have = stored.get(e.getKey().value());
                    if (have == null) {
                        throw poison("pseudonym collision in domain " + domain + ": two different values share one"
                                + " pseudonym in store " + db.description() + "; stop, keep db/ as it is, and report"
                                + " it to the MIP team (no further pseudonym is released by this store)");
                    }
                    if (!have.equals(e.getValue().pseudonym())) {
                        throw poison("pseudonym mismatch in domain " + domain + ": store " + db.description()
                                + " holds another pseudonym for a value than the site key gives; the site key or"
                                + " prefix does not belong to this store: restore the original db/site.key"
                                + " (no further pseudonym is released by this store)");
                    }
                }
            }
        }
    }

    private StoreException poison(String message) {
        StoreException e = new StoreException(message);
        poisoned = e;
        return e;
    }

    private void checkUsable() {
        checkOpen();
        StoreException p = poisoned;
        if (p != null) {
            throw new StoreException(p.getMessage(), p);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreException("pseudonym store " + db.description()
                    + " is closed: open a new one with PseudonymStores.open");
        }
    }

    private static void checkDomain(String domain) {
        if (!KeyedPseudonyms.isDomain(domain)) {
            throw new IllegalArgumentException("pseudonym domain must be 1 to 64 characters of a-z, 0-9, '_' or '-'");
        }
    }

    /** Refuses what a database column cannot hold faithfully (checked before anything is handed out). */
    private static void checkStorable(String domain, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new StoreException("a value in domain " + domain + " contains a NUL character, which the"
                    + " pseudonym store cannot hold; fix the input's encoding or the rule that selects the value");
        }
        if (value.length() > Schema.MAX_VALUE_BYTES / 3
                && value.getBytes(StandardCharsets.UTF_8).length > Schema.MAX_VALUE_BYTES) {
            throw new StoreException("a value in domain " + domain + " is longer than " + Schema.MAX_VALUE_BYTES
                    + " bytes, too long for an identifier; check the rule that selects the value");
        }
    }
}
