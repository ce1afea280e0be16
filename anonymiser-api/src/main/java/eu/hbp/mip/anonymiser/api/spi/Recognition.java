package eu.hbp.mip.anonymiser.api.spi;

/**
 * How sure a provider is that a file is in its format. The registry gives a file
 * to the provider with the strongest recognition.
 */
public enum Recognition {
    /** Not this format. */
    NO,
    /** The name suggests this format and the content does not contradict it. */
    BY_NAME,
    /** The content itself is this format (a magic number, a known header). */
    BY_CONTENT
}
