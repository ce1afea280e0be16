package eu.hbp.mip.anonymiser.dicom.codec;

import java.util.Objects;

/**
 * One data element: its tag, VR and value. Immutable (a {@link Value.Sequence}'s item list
 * is the one live part).
 *
 * @param tag the tag ({@link Tag})
 * @param vr the VR, from the file (explicit VR) or the dictionary (implicit VR)
 * @param value the value
 */
public record Element(int tag, VR vr, Value value) {

    /** Refuses nulls. */
    public Element {
        Objects.requireNonNull(vr, "vr");
        Objects.requireNonNull(value, "value");
    }

    /** {@code true} when the value is a sequence of items. */
    public boolean isSequence() {
        return value instanceof Value.Sequence;
    }

    /** {@code true} when the value is in the source file rather than in memory. */
    public boolean isBulk() {
        return value instanceof Value.Bulk || value instanceof Value.Fragments;
    }

    @Override
    public String toString() {
        return Tag.toString(tag) + " " + vr + " #" + value.length();
    }
}
