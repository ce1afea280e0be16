package eu.hbp.mip.anonymiser.core.move;

/**
 * A hook the mover calls between every two durable steps, named like
 * {@code publish:journalled}. Tests throw from it to simulate a crash at that
 * instant; production code uses {@link #NONE}.
 */
@FunctionalInterface
interface Steps {

    /** Does nothing. */
    Steps NONE = step -> { };

    /** @param step the step just completed */
    void reached(String step);
}
