/**
 * The crash-safe move: a file leaves {@code in/} only by being claimed, then
 * either published into {@code out/} or quarantined with a reason, and work left
 * half-done by a crash is recovered on start-up.
 *
 * <p>{@link eu.hbp.mip.anonymiser.core.move.FileMover} is the entry point (one per input
 * folder per JVM, thread-safe); a {@link eu.hbp.mip.anonymiser.core.move.Claim} is one
 * file on its way. Claims are atomic renames, outputs become visible by hard links that
 * never overwrite, and every decision is journalled and forced to disk before anything
 * visible happens, so recovery can finish it or roll it back. The protocol and the
 * recovery table are in {@code docs/move.md}. Nothing here logs a file name from the
 * input folder.
 */
package eu.hbp.mip.anonymiser.core.move;
