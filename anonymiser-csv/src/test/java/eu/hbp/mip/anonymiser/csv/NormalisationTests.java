package eu.hbp.mip.anonymiser.csv;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class NormalisationTests {

    @Test
    void foldsCompatibilityFormsWithNfkc() {
        assertEquals("Fischer", Normalisation.identifier("\uFF26\uFF49\uFF53\uFF43\uFF48\uFF45\uFF52"));
        assertEquals("fi 2", Normalisation.identifier("\uFB01 \u2082"));
    }

    @Test
    void removesFormatCharacters() {
        assertEquals("Fischer", Normalisation.identifier("Fi\u200Bscher"));
        assertEquals("Fischer", Normalisation.identifier("Fi\u00ADscher"));
        assertEquals("Fischer", Normalisation.identifier("\uFEFFFischer\u200E"));
    }

    @Test
    void removesAControlInsideAWordAndTurnsOthersIntoASpace() {
        assertEquals("Fischer", Normalisation.identifier("Fi\tscher"));
        assertEquals("IPP  42", Normalisation.identifier("IPP\t 42"), "a TAB beside a blank is a blank");
        assertEquals("Dr Martin", Normalisation.spaced("Dr\tMartin"));
        assertEquals(" a, b ", Normalisation.identifier("\u0007a,\u001Bb\n"));
    }

    @Test
    void keepsLineBreaksOfFreeTextAndReportsControlsInsideWords() {
        Normalisation.Text t = Normalisation.text("one.\r\ntwo Fi\tscher\u200B");
        assertEquals("one.\r\ntwo Fi scher", t.text());
        assertEquals("one.  two Fi scher", t.view());
        BitSet expected = new BitSet();
        expected.set(12);
        assertEquals(expected, t.inWord());
    }

    @Test
    void leavesPrintableAsciiAsItIs() {
        String plain = "IPP0012345 Dr Martin, 12/05/2024";
        assertSame(plain, Normalisation.identifier(plain));
        assertNull(Normalisation.text(plain).inWord());
    }
}
