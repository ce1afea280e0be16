package eu.hbp.mip.anonymiser.dicom.profile;

import eu.hbp.mip.anonymiser.dicom.codec.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersonAttributesTests {

    @ParameterizedTest
    @ValueSource(strings = {"ContactURI", "ContactDisplayName", "RequestingPhysicianIdentificationSequence",
            "PatientTelephoneNumbers", "InstitutionAddress", "AuthorIdentificationSequence", "OwnerID"})
    void aKeywordNamingAPersonOrContactIsFound(String keyword) {
        assertTrue(PersonAttributes.namesPerson(keyword), keyword);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RTPhysicianIntentSequence", "FilterByOperator", "WedgeInContactLength", "CompressionContactArea",
            "ManufacturerModelName", "SequenceName", "ConceptNameCodeSequence", "CodingSchemeResponsibleOrganization"})
    void aKeywordThatOnlyLooksLikeOneIsNot(String keyword) {
        assertFalse(PersonAttributes.namesPerson(keyword), keyword);
    }

    @Test
    void theTagsComeFromTheDictionary() {
        assertTrue(PersonAttributes.namesPerson(0x0074100A, VR.UR), "ContactURI (0074,100A)");
        assertTrue(PersonAttributes.namesPerson(0x0074100C, VR.LO), "ContactDisplayName (0074,100C)");
        assertTrue(PersonAttributes.namesPerson(0x00142006, VR.PN), "EvaluatorName (0014,2006)");
        assertTrue(PersonAttributes.namesPerson(0x00991001, VR.PN), "any PN element");
        assertFalse(PersonAttributes.namesPerson(0x00081090, VR.LO), "ManufacturerModelName (0008,1090)");
    }
}
