package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;

import java.nio.ByteBuffer;

/** Provides the DICOM anonymiser; recognises Part 10 files by their {@code DICM} magic. */
public final class DicomAnonymiserProvider implements AnonymiserProvider {

    @Override
    public String name() {
        return "dicom";
    }

    @Override
    public Recognition recognise(String fileName, ByteBuffer head) {
        if (head.remaining() >= 132 && head.get(128) == 'D' && head.get(129) == 'I'
                && head.get(130) == 'C' && head.get(131) == 'M') {
            return Recognition.BY_CONTENT;
        }
        return Recognition.NO;
    }

    @Override
    public Anonymiser create(AnonymiserContext context) {
        return (input, output) -> new Outcome.Rejected("not-implemented",
                "the DICOM anonymiser is not implemented yet", Bucket.DICOM);
    }
}
