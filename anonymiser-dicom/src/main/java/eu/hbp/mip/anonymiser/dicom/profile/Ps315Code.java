package eu.hbp.mip.anonymiser.dicom.profile;

/**
 * An action code of PS3.15 Table E.1-1, as written in the table, with the single action
 * this project applies for it.
 *
 * <p>The combined codes let the de-identifier choose by the attribute's Type in the IOD
 * ("X unless Z is required to maintain IOD conformance", ...). This project does not carry
 * the IOD module tables, so it applies the least destructive of the choices, which keeps
 * every IOD valid whatever the attribute's Type there: {@code X/Z -> Z}, {@code X/D -> D},
 * {@code Z/D -> D}, {@code X/Z/D -> D}, and {@code X/Z/U* -> U} (the sequence is kept and
 * every UID inside its items is replaced; its other contents are de-identified recursively
 * by the same table).
 */
public enum Ps315Code {
    /** Replace with a non-zero length dummy value consistent with the VR. */
    D("D", Ps315Code.Action.DUMMY),
    /** Replace with a zero length value (or a dummy). */
    Z("Z", Action.EMPTY),
    /** Remove. */
    X("X", Action.REMOVE),
    /** Keep (unchanged for non-sequences, cleaned recursively for sequences). */
    K("K", Action.KEEP),
    /** Clean: replace with values of similar meaning known not to identify. */
    C("C", Action.CLEAN),
    /** Replace the UID with a non-zero length UID, consistently within the set of instances. */
    U("U", Action.UID),
    /** X unless Z is required by the IOD: applied as Z. */
    X_Z("X/Z", Action.EMPTY),
    /** X unless D is required by the IOD: applied as D. */
    X_D("X/D", Action.DUMMY),
    /** Z unless D is required by the IOD: applied as D. */
    Z_D("Z/D", Action.DUMMY),
    /** X unless Z or D is required by the IOD: applied as D. */
    X_Z_D("X/Z/D", Action.DUMMY),
    /** X unless Z or replacement of contained UIDs is required: applied as U. */
    X_Z_U("X/Z/U*", Action.UID);

    /** The single actions the codes resolve to. */
    public enum Action { DUMMY, EMPTY, REMOVE, KEEP, CLEAN, UID }

    private final String text;
    private final Action action;

    Ps315Code(String text, Action action) {
        this.text = text;
        this.action = action;
    }

    /** @return the code as the table writes it, such as {@code X/Z/D} */
    public String text() {
        return text;
    }

    /** @return the action applied for this code */
    public Action action() {
        return action;
    }

    /**
     * @param text a code as written in the table
     * @return the code
     * @throws IllegalArgumentException if the text is not a code of the table
     */
    public static Ps315Code parse(String text) {
        for (Ps315Code c : values()) {
            if (c.text.equals(text)) {
                return c;
            }
        }
        throw new IllegalArgumentException("not a PS3.15 action code: " + text);
    }
}
