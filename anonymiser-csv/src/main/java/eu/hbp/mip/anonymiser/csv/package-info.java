/**
 * The CSV anonymiser and its provider; nothing here is public API (the module exports
 * nothing and only provides {@link eu.hbp.mip.anonymiser.csv.CsvAnonymiserProvider}).
 *
 * <p>One strict YAML profile per export schema ({@code scripts/csv/*.yaml}, see
 * {@code docs/csv-profiles.md}) gives a rule to every column: keep, remove, pseudonymise,
 * date, birthdate, replace, generalise or scrub. A file is matched to a profile by its
 * name and header row, then streamed row by row with Apache Commons CSV into UTF-8
 * RFC 4180 output; a file that does not fit its profile (missing or unknown column, a
 * value off its declared format, malformed CSV, a NUL character) is rejected with a reason
 * that names the row, column and rule but never a value.
 *
 * <p>Before a value is pseudonymised or scrubbed it is normalised ({@code Normalisation}:
 * NFKC, format characters removed, control characters as spaces), so Fischer with a
 * zero-width space (U+200B) inside is {@code Fischer}. Free text is scrubbed in one pass,
 * linear in its length: the row's identifiers by an Aho-Corasick automaton ({@code IdentifierMatcher}), the built-in
 * detectors by bounded patterns. Kept cells pass a free-text net against the row's removed
 * and pseudonymised values. Consent is not checked here: every patient pseudonym written is
 * reported as a subject, for the pipeline's one consent gate, and
 * {@code CsvAnonymiserProvider.removeSubject} later removes a withdrawn patient's records from
 * a published table ({@code SubjectRemoval}), copying the other records byte for byte.
 */
package eu.hbp.mip.anonymiser.csv;
