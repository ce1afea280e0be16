package eu.hbp.mip.anonymiser.csv;

import java.util.List;

/** What a rule may know of the row its cell belongs to. Valid only during one cell's rule. */
interface Row {

    /**
     * @return the per-patient day shift of this row's patient
     * @throws BadValueException if the profile's patient column is empty in this row
     */
    int patientShift() throws BadValueException;

    /**
     * @return the identifier tokens of this row (values of its pseudonymised and removed
     *         columns, and their words of three characters or more), for scrubbing
     */
    List<String> identifierTokens();

    /** @param markers how many markers a scrub rule put into this row */
    void scrubbed(int markers);
}
