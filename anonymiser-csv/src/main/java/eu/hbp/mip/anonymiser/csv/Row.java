package eu.hbp.mip.anonymiser.csv;

/** What a rule may know of the row its cell belongs to. Valid only during one cell's rule. */
interface Row {

    /**
     * @return the per-patient day shift of this row's patient
     * @throws BadValueException if the profile's patient column is empty in this row
     */
    int patientShift() throws BadValueException;

    /**
     * @return the matcher of this row's identifier tokens (values of its pseudonymised and
     *         removed columns, and their words of three characters or more), for scrubbing
     */
    IdentifierMatcher identifiers();

    /** @param markers how many markers a scrub rule put into this row */
    void scrubbed(int markers);
}
