package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputNamesTests {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final List<String> AXIAL = List.of("1", "0", "0", "0", "1", "0");

    @TempDir
    Path dir;
    private PseudonymStore store;

    @BeforeEach
    void open() {
        store = Stores.sqlite(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String name(String seriesNumber, String instanceNumber, List<String> position) {
        return OutputNames.name(DAY, store, "PAT-1", "1.2.3", seriesNumber, "1.2.3.4", instanceNumber, position,
                AXIAL, "1.2.3.4.5");
    }

    @Test
    void withoutInstanceNumberNamesSortBySlicePosition() {
        List<String> names = new ArrayList<>();
        for (String z : List.of("-120.5", "-3", "0", "2.25", "97")) {
            names.add(name("7", "", List.of("10", "20", z)));
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(names, sorted, "names keep the order along the slice normal");
        assertTrue(names.get(0).endsWith("/0007/p099879500.dcm"), names.get(0));
    }

    @Test
    void withoutSeriesNumberTheSeriesUidsPseudonymNamesTheFolder() {
        String n = name("", "12", List.of());
        assertEquals("DICOM/2026/20261125/" + store.pseudonym("visit", "PAT-1\\1.2.3") + "/"
                + store.pseudonym("series", "1.2.3.4") + "/00012.dcm", n);
        OutputSink.checkName(n);
    }

    @Test
    void withNeitherNumberNorPositionTheSopUidsPseudonymNamesTheFile() {
        assertTrue(name("3", "", List.of()).endsWith("/0003/" + store.pseudonym("instance", "1.2.3.4.5") + ".dcm"));
    }
}
