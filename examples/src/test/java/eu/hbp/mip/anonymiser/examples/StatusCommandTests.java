package eu.hbp.mip.anonymiser.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class StatusCommandTests {

    @Test
    void readsCodeAndReasonFromTheMoversSidecar() {
        String sidecar = "MIP Anonymiser quarantine record\ncode: csv-missing-column\n"
                + "reason: column 'birth_date' of profile visits.yaml is missing\nbucket: csv\n";
        assertArrayEquals(new String[] {"csv-missing-column", "column 'birth_date' of profile visits.yaml is missing"},
                eu.hbp.mip.anonymiser.pipeline.SiteStatus.parse(sidecar));
    }

    @Test
    void fallsBackToTheFirstLineOfAnUnknownSidecar() {
        assertArrayEquals(new String[] {"?", "something odd"}, eu.hbp.mip.anonymiser.pipeline.SiteStatus.parse("something odd\nmore\n"));
    }
}
