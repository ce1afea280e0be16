package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A DICOM file as read by {@link DicomReader}: its file meta information, its transfer
 * syntax, its data set, and the source file that bulk values ({@link Value.Bulk},
 * {@link Value.Fragments}) refer to.
 *
 * <p>Close it when done: it keeps the source open (the writer copies bulk data from it), and
 * for a deflated file the data set was inflated into a temporary file, which
 * {@link #close()} deletes. The source file must not change between reading and
 * {@link DicomWriter writing}. Not thread-safe.
 */
public final class DicomFile implements Closeable {

    private final DataSet meta;
    private final TransferSyntax transferSyntax;
    private final DataSet dataSet;
    private final Path source;
    private final Path bulkSource;
    private final boolean hadMeta;
    private final Path temporary;
    private final FileChannel channel;

    DicomFile(DataSet meta, boolean hadMeta, TransferSyntax transferSyntax, DataSet dataSet, Path source,
              Path bulkSource, Path temporary, FileChannel channel) {
        this.meta = Objects.requireNonNull(meta);
        this.hadMeta = hadMeta;
        this.transferSyntax = Objects.requireNonNull(transferSyntax);
        this.dataSet = Objects.requireNonNull(dataSet);
        this.source = source;
        this.bulkSource = bulkSource;
        this.temporary = temporary;
        this.channel = channel;
    }

    /** The open read channel on {@link #bulkSource()}, or {@code null} once closed. */
    FileChannel channel() {
        return channel.isOpen() ? channel : null;
    }

    /**
     * The file meta information (group 0002), editable. Empty for a raw data set without
     * meta; the writer fills in what it owns (see {@link DicomWriter}).
     */
    public DataSet meta() {
        return meta;
    }

    /** Whether the source had a file meta information group (with or without preamble). */
    public boolean hadMeta() {
        return hadMeta;
    }

    /** The transfer syntax of the data set (from the meta group, or detected for a raw data set). */
    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    /** The data set, editable. */
    public DataSet dataSet() {
        return dataSet;
    }

    /** The file that was read. */
    public Path source() {
        return source;
    }

    /** The file that bulk value offsets refer to: the source, or the inflated data set of a deflated file. */
    public Path bulkSource() {
        return bulkSource;
    }

    /** Closes the source channel and deletes the temporary inflated data set, if any. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
