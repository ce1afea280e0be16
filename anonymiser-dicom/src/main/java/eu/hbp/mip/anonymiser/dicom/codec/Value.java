package eu.hbp.mip.anonymiser.dicom.codec;

import java.util.List;

/**
 * The value of an {@link Element}: bytes in memory, a reference to bulk data in the source
 * file, a sequence of items, or encapsulated (compressed) pixel data fragments.
 */
public sealed interface Value {

    /** The value length in bytes as read (or as will be written for in-memory values); -1 if undefined. */
    long length();

    /**
     * Bytes held in memory, in the byte order of the data set that holds them (text values
     * include their padding; use {@link DataSet#string(int)} to decode them).
     *
     * @param data the bytes; the record does not copy them: do not change the array after
     *        putting it into a data set
     */
    record Bytes(byte[] data) implements Value {
        /** Refuses a null array. */
        public Bytes {
            java.util.Objects.requireNonNull(data, "data");
        }

        @Override
        public long length() {
            return data.length;
        }
    }

    /**
     * A bulk value left in the source file (pixel data, large OB/OW/OF/OD/OL/OV/UN values): the
     * writer copies it from the source with {@code FileChannel.transferTo}, never loading it.
     *
     * @param offset the byte offset of the value in the source
     * @param length the value length in bytes
     */
    record Bulk(long offset, long length) implements Value {
    }

    /**
     * Encapsulated pixel data: the items (Basic Offset Table, then fragments) and the sequence
     * delimiter, whose structure the reader checked without reading the fragments.
     *
     * @param offset the byte offset of the first item header in the source
     * @param length the bytes from the first item header to the end of the sequence delimiter
     * @param items the number of items, including the Basic Offset Table
     */
    record Fragments(long offset, long length, int items) implements Value {
    }

    /**
     * A sequence of items, each a {@link DataSet}. The list is live and mutable: remove or
     * reorder items in place; add items with {@link DataSet#addItem(int)}.
     *
     * @param items the items
     * @param undefinedLength whether the sequence is written with undefined length and a
     *        sequence delimiter (as it was read); otherwise its length is recomputed
     */
    record Sequence(List<DataSet> items, boolean undefinedLength) implements Value {
        @Override
        public long length() {
            return -1;
        }
    }
}
