package eu.hbp.mip.anonymiser.spark;

import java.io.Serializable;

/**
 * A point in a task where a test injects a failure (a killed executor, a lost task). The job
 * itself runs with {@link #NONE}.
 */
@FunctionalInterface
interface TaskHook extends Serializable {

    /** After every input of the partition is staged and the store flushed, before any publish. */
    String STAGED = "staged";
    /** After one input's outputs are published, before its done marker is written. */
    String PUBLISHED = "published";

    TaskHook NONE = (step, fileId) -> { };

    /**
     * @param step {@link #STAGED} or {@link #PUBLISHED}
     * @param fileId the keyed id of the input concerned, or empty for {@link #STAGED}
     */
    void at(String step, String fileId);
}
