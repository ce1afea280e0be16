package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.StoreException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which outputs hold which subject: a table of (subject pseudonym, target, output name
 * relative to the target's folder), where the target is the folder a route publishes into
 * ({@value Route#OUT} for {@code out/}, {@value Route#PACS} for {@code pacs/dicoms/}), so that a consent withdrawal can find a patient's
 * outputs from their pseudonym alone. It holds no original identifier.
 *
 * <p>By default an SQLite file {@value #FILE_NAME} in {@code db/}; beside a shared
 * PostgreSQL pseudonym store, a table in that same database, so that runners on
 * several machines share one index. Rows are written before an output is
 * published, so a crash can leave a row for an output that never appeared (which
 * {@code forget} reports as already gone) but never an output without its row.
 * Thread-safe (calls are serialised on one connection), and safe for several processes.
 */
public final class OutputIndex implements AutoCloseable {

    /** The SQLite file in {@code db/} when the store is not PostgreSQL. */
    public static final String FILE_NAME = "outputs.sqlite";

    private static final String TABLE = "pipeline_outputs";
    /** The table of earlier versions (outputs in {@code out/} only), copied over once. */
    private static final String LEGACY_TABLE = "runner_outputs";

    private final Handle handle;
    private final String where;

    private OutputIndex(Jdbi db, String where) {
        this.where = where;
        try {
            // One connection for the index's life: SQLite checkpoints (and syncs) when its last connection closes.
            this.handle = db.open();
        } catch (JdbiException e) {
            throw new StoreException("cannot open the output index " + where + " (" + rootCause(e)
                    + "): check that the folder is writable or the database reachable", e);
        }
        try {
            use(h -> h.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (subject VARCHAR(80) NOT NULL, target VARCHAR(16) NOT NULL, output VARCHAR(1024) NOT NULL,"
                    + " final INTEGER NOT NULL, PRIMARY KEY (subject, target, output))"));
            use(h -> h.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_output ON " + TABLE
                    + " (target, output)"));
            migrate();
        } catch (JdbiException e) {
            throw new StoreException("cannot open the output index " + where + " (" + rootCause(e)
                    + "): check that the folder is writable or the database reachable", e);
        }
    }

    /**
     * Opens (creating if needed) the index in {@code db/}, or in the PostgreSQL database
     * at {@code jdbcUrl}.
     *
     * @param db the {@code db/} folder
     * @param jdbcUrl a {@code jdbc:postgresql:} URL, or null for SQLite in {@code db/}
     * @return the index
     * @throws StoreException if it cannot be opened
     */
    public static OutputIndex open(Path db, String jdbcUrl) {
        if (jdbcUrl != null && !jdbcUrl.isBlank()) {
            return new OutputIndex(Jdbi.create(jdbcUrl), "in the store's database");
        }
        Path file = db.resolve(FILE_NAME);
        String url = "jdbc:sqlite:" + file + "?journal_mode=WAL&busy_timeout=30000&synchronous=FULL";
        return new OutputIndex(Jdbi.create(url), file.toString());
    }

    private void migrate() {
        boolean legacy;
        try {
            legacy = with(h -> {
                try {
                    h.createQuery("SELECT COUNT(*) FROM " + LEGACY_TABLE).mapTo(Long.class).one();
                    return true;
                } catch (JdbiException e) {
                    return false;
                }
            });
        } catch (JdbiException e) {
            legacy = false;
        }
        if (legacy) {
            use(h -> h.useTransaction(t -> {
                t.execute("INSERT INTO " + TABLE + " (subject, target, output, final) SELECT subject, '"
                        + Route.OUT + "', output, final FROM " + LEGACY_TABLE + " ON CONFLICT DO NOTHING");
                t.execute("DROP TABLE " + LEGACY_TABLE);
            }));
        }
    }

    /**
     * An output of a subject.
     *
     * @param target the route's target ({@value Route#OUT}, {@value Route#PACS})
     * @param name the output's name relative to the target's folder
     */
    public record Output(String target, String name) implements Comparable<Output> {
        @Override
        public int compareTo(Output o) {
            int c = target.compareTo(o.target);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    /** An output of a subject: how many subjects it holds, and whether its name is final. */
    public record Entry(int subjects, boolean isFinal) {
    }

    /**
     * Records, before a publish, that each output holds each subject, under the names the
     * anonymiser chose; the mover may still suffix a name that is taken, so these rows are
     * provisional until {@link #finalise}. Idempotent.
     *
     * @param target the route's target
     * @param subjects subject pseudonyms
     * @param outputs output names relative to the target's folder
     */
    public synchronized void record(String target, Collection<String> subjects, Collection<String> outputs) {
        record(target, java.util.List.of(new Written(subjects, outputs)));
    }

    /**
     * The subjects and outputs of one input about to be published.
     *
     * @param subjects subject pseudonyms
     * @param outputs output names relative to the target's folder, as the anonymiser chose them
     */
    public record Written(Collection<String> subjects, Collection<String> outputs) {
    }

    /**
     * The subjects and outputs of one published input.
     *
     * @param subjects subject pseudonyms
     * @param provisional the names recorded by {@link #record}
     * @param finals the names used in the target's folder
     */
    public record Renamed(Collection<String> subjects, Collection<String> provisional, Collection<String> finals) {
    }

    /**
     * {@link #record(String, Collection, Collection)} for the inputs of one group commit, in one
     * transaction (one write to disk).
     *
     * @param target the route's target
     * @param inputs the inputs about to be published
     */
    public synchronized void record(String target, Collection<Written> inputs) {
        if (inputs.stream().allMatch(w -> w.subjects().isEmpty() || w.outputs().isEmpty())) {
            return;
        }
        try {
            handle.useTransaction(h -> {
                PreparedBatch batch = h.prepareBatch("INSERT INTO " + TABLE
                        + " (subject, target, output, final) VALUES (:s, :t, :o, 0) ON CONFLICT DO NOTHING");
                for (Written w : inputs) {
                    for (String s : w.subjects()) {
                        for (String o : w.outputs()) {
                            batch.bind("s", s).bind("t", target).bind("o", o).add();
                        }
                    }
                }
                batch.execute();
            });
        } catch (JdbiException e) {
            throw new StoreException("cannot write the output index " + where + " (" + rootCause(e) + ")", e);
        }
    }

    /**
     * After a publish: replaces the provisional rows by the final names the outputs got.
     *
     * @param target the route's target
     * @param subjects subject pseudonyms
     * @param provisional the names recorded by {@link #record}
     * @param finals the names used in {@code out/}
     */
    public synchronized void finalise(String target, Collection<String> subjects, Collection<String> provisional,
                                      Collection<String> finals) {
        finalise(target, java.util.List.of(new Renamed(subjects, provisional, finals)));
    }

    /**
     * {@link #finalise(String, Collection, Collection, Collection)} for the inputs of one group
     * commit, in one transaction.
     *
     * @param target the route's target
     * @param inputs the inputs published
     */
    public synchronized void finalise(String target, Collection<Renamed> inputs) {
        if (inputs.stream().allMatch(r -> r.subjects().isEmpty() || r.finals().isEmpty())) {
            return;
        }
        try {
            handle.useTransaction(h -> {
                PreparedBatch drop = h.prepareBatch("DELETE FROM " + TABLE
                        + " WHERE subject = :s AND target = :t AND output = :o AND final = 0");
                PreparedBatch add = h.prepareBatch("INSERT INTO " + TABLE
                        + " (subject, target, output, final) VALUES (:s, :t, :o, 1)"
                        + " ON CONFLICT (subject, target, output) DO UPDATE SET final = 1");
                boolean drops = false;
                boolean adds = false;
                for (Renamed r : inputs) {
                    if (r.subjects().isEmpty() || r.finals().isEmpty()) {
                        continue;
                    }
                    for (String s : r.subjects()) {
                        for (String o : r.provisional()) {
                            drop.bind("s", s).bind("t", target).bind("o", o).add();
                            drops = true;
                        }
                        for (String o : r.finals()) {
                            add.bind("s", s).bind("t", target).bind("o", o).add();
                            adds = true;
                        }
                    }
                }
                if (drops) {
                    drop.execute();
                }
                if (adds) {
                    add.execute();
                }
            });
        } catch (JdbiException e) {
            throw new StoreException("cannot write the output index " + where + " (" + rootCause(e) + ")", e);
        }
    }

    /**
     * @param subject a subject pseudonym
     * @return the outputs recorded for it, each with the number of subjects it holds
     *         and whether its name is final
     */
    public synchronized Map<Output, Entry> outputsOf(String subject) {
        try {
            return with(h -> {
                Map<Output, Entry> result = new TreeMap<>();
                Map<Output, Boolean> outputs = new TreeMap<>();
                h.createQuery("SELECT target, output, final FROM " + TABLE + " WHERE subject = :s")
                        .bind("s", subject)
                        .map((rs, ctx) -> Map.entry(new Output(rs.getString(1), rs.getString(2)), rs.getInt(3) != 0))
                        .forEach(e -> outputs.put(e.getKey(), e.getValue()));
                for (Map.Entry<Output, Boolean> o : outputs.entrySet()) {
                    int n = h.createQuery("SELECT COUNT(*) FROM " + TABLE + " WHERE target = :t AND output = :o")
                            .bind("t", o.getKey().target()).bind("o", o.getKey().name()).mapTo(Integer.class).one();
                    result.put(o.getKey(), new Entry(n, o.getValue()));
                }
                return result;
            });
        } catch (JdbiException e) {
            throw new StoreException("cannot read the output index " + where + " (" + rootCause(e) + ")", e);
        }
    }

    /** @return every subject recorded for {@code output} */
    public synchronized Set<String> subjectsOf(Output output) {
        try {
            return Set.copyOf(with(h -> h.createQuery("SELECT subject FROM " + TABLE
                    + " WHERE target = :t AND output = :o").bind("t", output.target()).bind("o", output.name())
                    .mapTo(String.class).list()));
        } catch (JdbiException e) {
            throw new StoreException("cannot read the output index " + where + " (" + rootCause(e) + ")", e);
        }
    }

    /** Forgets the rows of {@code subject}. */
    public synchronized void removeSubject(String subject) {
        try {
            use(h -> h.createUpdate("DELETE FROM " + TABLE + " WHERE subject = :s")
                    .bind("s", subject).execute());
        } catch (JdbiException e) {
            throw new StoreException("cannot write the output index " + where + " (" + rootCause(e) + ")", e);
        }
    }

    /** Forgets every row of {@code output} (it was deleted). */
    public synchronized void removeOutput(Output output) {
        try {
            use(h -> h.createUpdate("DELETE FROM " + TABLE + " WHERE target = :t AND output = :o")
                    .bind("t", output.target()).bind("o", output.name()).execute());
        } catch (JdbiException e) {
            throw new StoreException("cannot write the output index " + where + " (" + rootCause(e) + ")", e);
        }
    }

    private void use(java.util.function.Consumer<Handle> work) {
        work.accept(handle);
    }

    private <T> T with(java.util.function.Function<Handle, T> work) {
        return work.apply(handle);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    /** Closes the connection; idempotent. */
    @Override
    public synchronized void close() {
        handle.close();
    }
}
