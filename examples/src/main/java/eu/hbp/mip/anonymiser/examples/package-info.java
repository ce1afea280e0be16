/**
 * The reference folder runner of the MIP Anonymiser: a command line
 * ({@link eu.hbp.mip.anonymiser.examples.Main}: {@code init}, {@code run},
 * {@code watch}, {@code status}, {@code verify}, {@code forward}, {@code forget},
 * {@code pacs}) over the library's one pipeline ({@code anonymiser-pipeline}), which another
 * service embeds as {@link eu.hbp.mip.anonymiser.examples.EmbeddingExample} shows. It holds no
 * library code.
 *
 * <p>It finds the formats through {@link java.util.ServiceLoader} only and never names
 * a format. It never prints, logs or stores anew a file name from {@code in/} or a patient
 * value: it reports counts, reason codes, pseudonyms and the (pseudonymised) names of outputs.
 */
package eu.hbp.mip.anonymiser.examples;
