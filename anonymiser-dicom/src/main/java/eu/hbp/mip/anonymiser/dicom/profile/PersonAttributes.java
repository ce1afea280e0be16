package eu.hbp.mip.anonymiser.dicom.profile;

import eu.hbp.mip.anonymiser.dicom.codec.Dictionary;
import eu.hbp.mip.anonymiser.dicom.codec.VR;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The attributes of the data dictionary whose keyword names a person or a way to contact one,
 * found from the dictionary itself (never a hand-copied list): VR PN, or a keyword (split at
 * its capitals) with a contact word ({@code Address}, {@code Telephone}, {@code Telecom},
 * {@code Email}, {@code Mailbox}, {@code Contact}, not followed by a measure such as
 * {@code Length}: {@code WedgeInContactLength} is a physical contact), or with a person word
 * ({@code Person}, {@code Physician}, {@code Operator}, {@code Author}, {@code Reviewer},
 * {@code Observer}, {@code Performer}, {@code Owner}, ...) followed by a naming word
 * ({@code Name}, {@code Identification}, {@code ID}, {@code Address}, ...): so
 * {@code ContactURI (0074,100A)}, {@code ContactDisplayName (0074,100C)} and
 * {@code RequestingPhysicianIdentificationSequence (0032,1031)} are person attributes and
 * {@code RTPhysicianIntentSequence} or {@code FilterByOperator} are not. Immutable and thread-safe.
 */
final class PersonAttributes {

    private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
    private static final Set<String> CONTACT = Set.of("Address", "Telephone", "Telephones", "Telecom", "Email", "Mail",
            "Mailbox", "Contact");
    private static final Set<String> MEASURE = Set.of("Length", "Width", "Area");
    private static final Set<String> PERSON = Set.of("Person", "Persons", "Physician", "Physicians", "Operator",
            "Operators", "Reviewer", "Evaluator", "Author", "Observer", "Participant", "Performer", "Requester",
            "Responsible", "Signer", "Owner");
    private static final Set<String> NAMING = Set.of("Name", "Names", "Identification", "ID", "IDs", "Telephone",
            "Telephones", "Address", "Telecom");

    private static final Set<Integer> TAGS = load();

    private PersonAttributes() {
    }

    /**
     * @param tag a tag
     * @param vr the element's VR
     * @return whether the element names a person or a contact
     */
    static boolean namesPerson(int tag, VR vr) {
        return vr == VR.PN || TAGS.contains(tag);
    }

    /** @return whether a keyword names a person or a contact (see the class comment) */
    static boolean namesPerson(String keyword) {
        List<String> tokens = List.of(CAMEL.split(keyword));
        for (int i = 0; i < tokens.size(); i++) {
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            if (CONTACT.contains(tokens.get(i)) && !MEASURE.contains(next)) {
                return true;
            }
            if (PERSON.contains(tokens.get(i)) && NAMING.contains(next)) {
                return true;
            }
        }
        return false;
    }

    private static Set<Integer> load() {
        Set<Integer> tags = new HashSet<>();
        for (Dictionary.Entry e : Dictionary.standard().entries()) {
            if (e.mask() == -1 && (e.vrs().contains(VR.PN) || namesPerson(e.keyword()))) {
                tags.add(e.tag());
            }
        }
        return Set.copyOf(tags);
    }
}
