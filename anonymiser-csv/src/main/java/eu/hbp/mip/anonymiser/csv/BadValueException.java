package eu.hbp.mip.anonymiser.csv;

/**
 * A cell does not fit its rule. Internal signal only: the anonymiser turns it into a
 * {@code csv-bad-value} rejection that adds the row, column and rule. The message says
 * what was expected and never holds the value. No stack trace is recorded (it is cheap
 * and carries nothing useful).
 */
final class BadValueException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param expected what the value should have been, without the value */
    BadValueException(String expected) {
        super(expected, null, false, false);
    }
}
