/**
 * The anonymiser as an Apache Spark job over Hadoop file systems (local, HDFS, S3A), for
 * archives past one machine: {@link eu.hbp.mip.anonymiser.spark.AnonymiserJob} lists an input
 * location, anonymises every file with the providers ServiceLoader finds on each executor,
 * and publishes each file's outputs exactly once in the MIP layout. See {@code docs/spark.md}.
 */
package eu.hbp.mip.anonymiser.spark;
