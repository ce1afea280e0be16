package eu.hbp.mip.anonymiser.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The anonymiser as a Spark job: lists every file under an input location on any Hadoop file
 * system, anonymises them on the executors with the providers ServiceLoader finds there, and
 * publishes each input's outputs exactly once in the MIP layout under the output location, or
 * the input with its reason under the quarantine location.
 *
 * <pre>{@code
 * spark-submit --class eu.hbp.mip.anonymiser.spark.AnonymiserJob anonymiser-spark-job.jar \
 *   --input hdfs:///archive/in --output hdfs:///archive/out --quarantine hdfs:///archive/quarantine \
 *   --profiles hdfs:///archive/scripts --store jdbc:postgresql://pg:5432/mip --key-file /secrets/site.key
 * }</pre>
 *
 * <p>What it guarantees: an input's outputs are named from the input and the site key, staged
 * per task attempt and published without replacing anything, then a done marker is written; a
 * retried or speculative attempt finds the first one's files and adds nothing, and a rerun over
 * the same input skips every input with a done marker. Each partition's pseudonym mappings are
 * written to the shared store in batches, before its outputs appear. Withdrawn patients are read
 * once per job and broadcast; a file of one of them is quarantined {@code consent-withdrawn}.
 *
 * <p>What it never does: take the site key or a password in its arguments, or log a patient
 * value, an input's file name or the key. Not thread-safe: one {@link #run} at a time per session.
 */
public final class AnonymiserJob {

    /** The columns of the per-file results (the summary is grouped from them). */
    static final StructType FILES = new StructType()
            .add("file_id", DataTypes.StringType, false)
            .add("provider", DataTypes.StringType, true)
            .add("bytes", DataTypes.LongType, false)
            .add("outcome", DataTypes.StringType, false)
            .add("code", DataTypes.StringType, false)
            .add("outputs", DataTypes.IntegerType, false);

    /** The columns of the summary. */
    public static final StructType SUMMARY = new StructType()
            .add("outcome", DataTypes.StringType, false)
            .add("code", DataTypes.StringType, false)
            .add("files", DataTypes.LongType, false)
            .add("bytes", DataTypes.LongType, false)
            .add("outputs", DataTypes.LongType, false);

    private final SparkSession spark;

    /** @param spark the session to run in; not closed by the job */
    public AnonymiserJob(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * Runs the job once and saves its summary under {@code <output>/.anonymiser-spark/summary/<export
     * instant>/} (JSON lines).
     *
     * @return the summary: one row per outcome and code, with files, bytes and outputs
     * @throws IOException if a location cannot be listed or the summary cannot be written
     */
    public Dataset<Row> run(JobSpec spec) throws IOException {
        return run(spec, TaskHook.NONE);
    }

    Dataset<Row> run(JobSpec spec, TaskHook hook) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Path outRoot = new Path(spec.output());
        List<InputFile> inputs = list(new Path(spec.input()), hadoop);
        Set<String> done = doneIds(outRoot, hadoop);
        Set<String> withdrawn = withdrawn(spec.storeUrl());
        Broadcast<Set<String>> doneB = jsc.broadcast(done);
        Broadcast<Set<String>> withdrawnB = jsc.broadcast(withdrawn);
        int partitions = Math.max(1, Math.min(spec.partitions(), inputs.size()));
        JavaRDD<Row> files = jsc.parallelize(inputs, partitions)
                .mapPartitions(new PartitionWork(spec, new HadoopConf(hadoop), doneB, withdrawnB, hook));
        // One action over the inputs: the summary is small, the per-file results are never collected.
        List<Row> grouped = spark.createDataFrame(files, FILES)
                .groupBy("outcome", "code")
                .agg(functions.count("*").as("files"), functions.sum("bytes").as("bytes"),
                        functions.sum("outputs").cast(DataTypes.LongType).as("outputs"))
                .orderBy("outcome", "code")
                .collectAsList();
        List<Row> rows = new ArrayList<>();
        for (Row r : grouped) {
            rows.add(RowFactory.create(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4)));
        }
        doneB.destroy();
        withdrawnB.destroy();
        cleanStaging(outRoot, hadoop);
        cleanStaging(new Path(spec.quarantine()), hadoop);
        Dataset<Row> summary = spark.createDataFrame(rows, SUMMARY);
        summary.coalesce(1).write().mode(SaveMode.ErrorIfExists)
                .json(new Path(outRoot, JobSpec.WORK + "/summary/" + spec.exportEpochMillis()).toString());
        return summary;
    }

    /** @return every regular file under the input, except names starting with '.' or '_' */
    static List<InputFile> list(Path root, Configuration hadoop) throws IOException {
        FileSystem fs = root.getFileSystem(hadoop);
        Path qualified = fs.makeQualified(root);
        String prefix = qualified.toUri().getPath().replaceFirst("/$", "") + "/";
        List<InputFile> found = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it;
        try {
            it = fs.listFiles(qualified, true);
        } catch (FileNotFoundException e) {
            throw new IOException("the input location " + root + " does not exist: check --input", e);
        }
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String rel = f.getPath().toUri().getPath().substring(prefix.length());
            boolean hidden = false;
            for (String segment : rel.split("/")) {
                hidden |= segment.startsWith(".") || segment.startsWith("_");
            }
            if (!hidden && f.isFile()) {
                found.add(new InputFile(rel, f.getLen()));
            }
        }
        return found;
    }

    /** @return the keyed ids of the inputs a previous run finished */
    static Set<String> doneIds(Path outRoot, Configuration hadoop) throws IOException {
        Path done = new Path(outRoot, JobSpec.WORK + "/done");
        FileSystem fs = done.getFileSystem(hadoop);
        Set<String> ids = new HashSet<>();
        if (!fs.exists(done)) {
            return ids;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(done, true);
        while (it.hasNext()) {
            String name = it.next().getPath().getName();
            if (!name.startsWith(".")) {
                ids.add(name);
            }
        }
        return ids;
    }

    /** @return the pseudonyms of patients who withdrew consent, read once for the whole job */
    static Set<String> withdrawn(String storeUrl) {
        Properties login = new Properties();
        Map<String, String> env = System.getenv();
        if (env.get(JobSpec.STORE_USER_ENV) != null) {
            login.setProperty("user", env.get(JobSpec.STORE_USER_ENV));
        }
        if (env.get(JobSpec.STORE_PASSWORD_ENV) != null) {
            login.setProperty("password", env.get(JobSpec.STORE_PASSWORD_ENV));
        }
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(storeUrl, login);
             PreparedStatement st = c.prepareStatement("SELECT pseudonym FROM withdrawal WHERE domain = ?")) {
            st.setString(1, eu.hbp.mip.anonymiser.api.PseudonymStore.PATIENT);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return ids; // a new store: its schema is created by the first task
            }
            throw new eu.hbp.mip.anonymiser.api.StoreException("cannot read the withdrawn patients from the pseudonym"
                    + " store (SQL state " + e.getSQLState() + "): check --store, " + JobSpec.STORE_USER_ENV + " and "
                    + JobSpec.STORE_PASSWORD_ENV, e);
        }
    }

    private static void cleanStaging(Path root, Configuration hadoop) throws IOException {
        Path staging = new Path(root, JobSpec.WORK + "/staging");
        FileSystem fs = staging.getFileSystem(hadoop);
        if (fs.exists(staging)) {
            for (FileStatus s : fs.listStatus(staging)) {
                fs.delete(s.getPath(), true);
            }
        }
    }

    /**
     * The {@code spark-submit} entry point. Arguments: {@code --input}, {@code --output},
     * {@code --quarantine}, {@code --profiles}, {@code --store} (all required), {@code --prefix},
     * {@code --key-file} (default: {@value JobSpec#KEY_FILE_ENV}, else {@value JobSpec#KEY_ENV} on
     * the executors), {@code --partitions} (default: four per default parallelism slot),
     * {@code --option name=value} (repeatable).
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = new HashMap<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments come in pairs '--name value'; '" + name
                        + "' has no value (see docs/spark.md)");
            }
            String value = args[++i];
            if (name.equals("--option")) {
                int eq = value.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--option takes name=value");
                }
                options.put(value.substring(0, eq), value.substring(eq + 1));
            } else {
                a.put(name.substring(2), value);
            }
        }
        for (String required : List.of("input", "output", "quarantine", "profiles", "store")) {
            if (!a.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required (see docs/spark.md)");
            }
        }
        SparkSession spark = SparkSession.builder().appName("mip-anonymiser").getOrCreate();
        try {
            int partitions = a.containsKey("partitions") ? Integer.parseInt(a.get("partitions"))
                    : 4 * spark.sparkContext().defaultParallelism();
            String keyFile = a.getOrDefault("key-file", System.getenv(JobSpec.KEY_FILE_ENV));
            JobSpec spec = new JobSpec(a.get("input"), a.get("output"), a.get("quarantine"), a.get("profiles"),
                    a.get("store"), a.get("prefix"), keyFile, partitions, options, System.currentTimeMillis());
            Dataset<Row> summary = new AnonymiserJob(spark).run(spec);
            summary.show(100, false);
        } finally {
            spark.stop();
        }
    }
}
