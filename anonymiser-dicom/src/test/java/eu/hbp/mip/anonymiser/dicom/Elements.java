package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfiles;
import eu.hbp.mip.anonymiser.dicom.profile.Ps315Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds in-memory data sets and profiles for the element-level tests. */
final class Elements {

    static final Ps315Table TABLE = Ps315Table.load();
    static final String PATIENT = "P-0001";

    private Elements() {
    }

    /** A sample value of a VR, distinct from every dummy the editor writes. */
    static String text(VR vr) {
        return switch (vr) {
            case DA -> "20200102";
            case TM -> "101010";
            case DT -> "20200102101010";
            case UI -> "1.2.3.4.5";
            case AS -> "030Y";
            case DS, IS -> "12";
            case CS -> "ORIG";
            case AE -> "ORIGAE";
            case UR -> "http://example.org/orig";
            default -> "ORIGINAL VALUE";
        };
    }

    /** Puts an element with a sample value of its VR. */
    static void put(DataSet ds, int tag, VR vr) {
        if (vr == VR.SQ) {
            DataSet item = ds.addItem(tag);
            item.putString(0x00080100, VR.SH, "CODE1");
        } else if (vr.isString()) {
            ds.putString(tag, vr, text(vr));
        } else {
            ds.putBytes(tag, vr, new byte[Math.max(2, vr.unitSize())]);
        }
    }

    /** Compiles a profile from YAML text through the real loader. */
    static DicomProfile profile(String yaml) {
        try {
            Path dir = Files.createTempDirectory("profile");
            Files.writeString(dir.resolve("p.yaml"), yaml);
            DicomProfile p = new DicomProfiles(TABLE).load(dir, "p");
            Files.delete(dir.resolve("p.yaml"));
            Files.delete(dir);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DicomProfile shipped(String name) {
        return new DicomProfiles(TABLE).load(Path.of("no-such-folder"), name);
    }

    static ElementEditor editor(DicomProfile profile, PseudonymStore store) {
        return new ElementEditor(profile, store, PATIENT);
    }
}
