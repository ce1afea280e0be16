package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;

import java.nio.ByteBuffer;

/** Provides the CSV anonymiser; recognises text files named {@code *.csv}. */
public final class CsvAnonymiserProvider implements AnonymiserProvider {

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public Recognition recognise(String fileName, ByteBuffer head) {
        for (int i = head.position(); i < head.limit(); i++) {
            if (head.get(i) == 0) {
                return Recognition.NO;
            }
        }
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? Recognition.BY_NAME : Recognition.NO;
    }

    @Override
    public Anonymiser create(AnonymiserContext context) {
        return (input, output) -> new Outcome.Rejected("not-implemented",
                "the CSV anonymiser is not implemented yet", Bucket.CSV);
    }
}
