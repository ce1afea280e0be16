package eu.hbp.mip.anonymiser.dicom.profile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ps315TableTests {

    private final Ps315Table table = Ps315Table.load();

    @Test
    void committedTableMatchesTheStandardsJson() throws IOException {
        String shared = System.getProperty("mip.shared");
        Path json = shared == null ? null : Path.of(shared, "dicom-standard", "confidentiality_profile_attributes.json");
        if (json == null || !Files.isRegularFile(json)) {
            System.out.println("Ps315TableTests: shared folder absent (mip.shared=" + shared
                    + "); comparison with the standard's JSON skipped");
            return;
        }
        String committed;
        try (InputStream in = Ps315Table.class.getResourceAsStream(Ps315Table.RESOURCE)) {
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(Ps315TableGenerator.render(json), committed,
                "regenerate " + Ps315Table.RESOURCE + " with Ps315TableGenerator (see its Javadoc)");
    }

    @Test
    void holdsEveryRowOfTheStandard() {
        assertEquals(621, table.entries().size());
    }

    @Test
    void looksUpExactTagsRepeatingGroupsAndPrivateGroups() {
        assertEquals("Patient's Name", table.lookup(0x00100010).orElseThrow().name());
        assertEquals("Curve Data", table.lookup(0x50020010).orElseThrow().name());
        assertEquals("Overlay Data", table.lookup(0x60023000).orElseThrow().name());
        assertEquals("Private Attributes", table.lookup(0x00091010).orElseThrow().name());
        assertTrue(table.lookup(0x00280010).isEmpty(), "Rows is not in Table E.1-1");
    }

    @Test
    void combinedCodesResolveToTheLeastDestructiveValidChoice() {
        assertEquals(Ps315Code.Action.EMPTY, Ps315Code.X_Z.action());
        assertEquals(Ps315Code.Action.DUMMY, Ps315Code.X_D.action());
        assertEquals(Ps315Code.Action.DUMMY, Ps315Code.Z_D.action());
        assertEquals(Ps315Code.Action.DUMMY, Ps315Code.X_Z_D.action());
        assertEquals(Ps315Code.Action.UID, Ps315Code.X_Z_U.action());
    }

    @Test
    void anOptionThatNamesTheAttributeOverridesTheBasicProfile() {
        Ps315Table.Entry acquisitionDate = table.lookup(0x00080022).orElseThrow();
        assertEquals(Ps315Code.X_Z, acquisitionDate.resolve(Set.of()));
        assertEquals(Ps315Code.K, acquisitionDate.resolve(EnumSet.of(Ps315Option.RETAIN_LONGITUDINAL_FULL_DATES)));
        assertEquals(Ps315Code.C, acquisitionDate.resolve(EnumSet.of(Ps315Option.RETAIN_LONGITUDINAL_MODIFIED_DATES)));
        assertEquals(Ps315Code.K, acquisitionDate.resolve(EnumSet.of(Ps315Option.RETAIN_LONGITUDINAL_MODIFIED_DATES,
                Ps315Option.RETAIN_LONGITUDINAL_FULL_DATES)));
    }

    @Test
    void optionsAreSelectableByNameColumnOrTitle() {
        assertEquals(Ps315Option.RETAIN_UIDS, Ps315Option.byName("retain-uids").orElseThrow());
        assertEquals(Ps315Option.RETAIN_UIDS, Ps315Option.byName("rtnUIDsOpt").orElseThrow());
        assertEquals(Ps315Option.RETAIN_UIDS, Ps315Option.byName("RetainUIDsOption").orElseThrow());
        assertTrue(Ps315Option.byName("retain-everything").isEmpty());
    }
}
