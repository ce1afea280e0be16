package eu.hbp.mip.anonymiser.examples.pacs;

import eu.hbp.mip.anonymiser.api.Outcome;

import java.io.IOException;
import java.nio.file.Path;

/** Anonymises one downloaded instance into {@code pacs/dicoms} or moves it to {@code quarantine/pacs}. */
interface InstanceProcessor {

    /**
     * @param downloaded a complete file in {@code pacs/download}; gone from there when this returns
     * @param beforePublish run once the output is ready, before it becomes visible
     * @return what became of it
     */
    Outcome process(Path downloaded, Runnable beforePublish) throws IOException;
}
