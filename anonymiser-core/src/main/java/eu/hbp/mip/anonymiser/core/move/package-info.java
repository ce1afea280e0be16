/**
 * The crash-safe move: a file leaves {@code in/} only by being claimed, then
 * either published into {@code out/} or quarantined with a reason, and work left
 * half-done by a crash is recovered on start-up.
 */
package eu.hbp.mip.anonymiser.core.move;
