package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.Dictionary;
import eu.hbp.mip.anonymiser.dicom.codec.Element;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import eu.hbp.mip.anonymiser.dicom.profile.ElementAction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

/** For random data sets, every element the profile does not keep is gone. */
class ProfileProperties {

    private static final List<Dictionary.Entry> PLAIN = Dictionary.standard().entries().stream()
            .filter(e -> e.mask() == -1 && Tag.group(e.tag()) > 0x0002 && Tag.group(e.tag()) != 0xFFFE
                    && Tag.group(e.tag()) != 0x7FE0 && !Tag.isGroupLength(e.tag())
                    && e.tag() != 0x00080005)
            .toList();

    private static final DicomProfile MIP = Elements.shipped("mip-default");
    private static final DicomProfile PS315 = Elements.shipped("ps3.15-basic");

    private static java.nio.file.Path dir;
    private static eu.hbp.mip.anonymiser.api.PseudonymStore store;

    @net.jqwik.api.lifecycle.BeforeContainer
    static void open() throws java.io.IOException {
        dir = java.nio.file.Files.createTempDirectory("profile-properties");
        store = Stores.sqlite(dir);
    }

    @net.jqwik.api.lifecycle.AfterContainer
    static void close() throws java.io.IOException {
        store.close();
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A random element: a standard one, a private one, or one in a curve or overlay group. */
    record Spec(int tag, VR vr) {
    }

    @Provide
    Arbitrary<List<Spec>> dataSets() {
        Arbitrary<Spec> standard = Arbitraries.of(PLAIN).map(e -> new Spec(e.tag(), e.vr()));
        Arbitrary<Spec> priv = Arbitraries.integers().between(0x0009, 0x7FDF).filter(g -> (g & 1) == 1)
                .flatMap(g -> Arbitraries.integers().between(0x1000, 0x10FF).map(el -> new Spec(g << 16 | el, VR.LO)));
        Arbitrary<Spec> graphics = Arbitraries.of(0x5000, 0x5002, 0x6000, 0x6002)
                .flatMap(g -> Arbitraries.of(0x0022, 0x1500, 0x4000, 0x2500, 0x0010)
                        .map(el -> new Spec(g << 16 | el, el == 0x0010 ? VR.US : VR.LO)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, standard), net.jqwik.api.Tuple.of(1, priv), net.jqwik.api.Tuple.of(1, graphics))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    private static DataSet build(List<Spec> specs) {
        DataSet ds = new DataSet(false);
        ds.putString(0x00100020, VR.LO, "ID-1");
        for (Spec s : specs) {
            if (Tag.isPrivate(s.tag())) {
                ds.putString(s.tag() & 0xFFFF0000 | 0x0010, VR.LO, "CREATOR");
            }
            if (s.vr() != VR.UN) {
                Elements.put(ds, s.tag(), s.vr());
            }
        }
        return ds;
    }

    @Property(tries = 100)
    void mipDefaultLeavesOnlyWhatItNames(@ForAll("dataSets") List<Spec> specs) {
        DataSet ds = build(specs);
        Elements.editor(MIP, store).apply(ds);
        List<String> left = new ArrayList<>();
        for (Element e : ds.elements()) {
            boolean named = MIP.namesExactly(e.tag()) || Tag.group(e.tag()) == 0x0028;
            if (!named) {
                left.add(Tag.toString(e.tag()));
            }
        }
        if (!left.isEmpty()) {
            throw new AssertionError("elements the profile does not keep survived: " + left);
        }
    }

    @Property(tries = 100)
    void ps315LeavesNoPrivateNoGraphicsTextAndNoFreeText(@ForAll("dataSets") List<Spec> specs) {
        DataSet ds = build(specs);
        Elements.editor(PS315, store).apply(ds);
        ds.forEachDeep((holder, e) -> {
            int group = Tag.group(e.tag());
            if (Tag.isPrivate(e.tag())) {
                throw new AssertionError("private element survived: " + Tag.toString(e.tag()));
            }
            if ((DicomProfile.isCurve(group) || DicomProfile.isOverlay(group)) && e.vr().kind() == VR.Kind.TEXT) {
                throw new AssertionError("curve or overlay text survived: " + Tag.toString(e.tag()));
            }
            boolean freeText = e.vr() == VR.PN || e.vr() == VR.ST || e.vr() == VR.LT || e.vr() == VR.UT || e.vr() == VR.UC;
            if (freeText && e.value().length() > 0 && !PS315.namesExactly(e.tag())
                    && PS315.decide(e.tag(), e.vr()).kind() != ElementAction.Kind.DUMMY) {
                throw new AssertionError("free text survived: " + Tag.toString(e.tag()));
            }
        });
    }
}
